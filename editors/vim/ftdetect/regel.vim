" Rule files of regel (rules as data for Swedish personal assistance law).
autocmd BufRead,BufNewFile *.regel setfiletype regel
