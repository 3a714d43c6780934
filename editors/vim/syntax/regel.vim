" Vim syntax file
" Language:    regel rule files (*.regel)
" Maintainer:  the regel project
"
" Follows grammar/lexer.l: keywords, quantities with their units ("20 h",
" "2.5 h/day", "65 years"), dates, strings with {placeholders}, comments,
" and law text (lines whose first non-blank character is '>'). A character
" the scanner would reject is highlighted as an error.

if exists('b:current_syntax')
  finish
endif

let s:cpo_save = &cpo
set cpo&vim

syntax case match
syntax iskeyword @,48-57,_,128-255

" Anything the scanner rejects; every item below takes precedence over it.
syntax match regelError /\S/

syntax match regelName /\%(\h\|[^\x00-\x7f]\)\%(\w\|[^\x00-\x7f]\)*/
syntax match regelCall /\%(\h\|[^\x00-\x7f]\)\%(\w\|[^\x00-\x7f]\)*\ze(/

syntax keyword regelDeclaration version amends enum record input output const table rule check
syntax keyword regelAmendment   add replace remove
syntax keyword regelClause      title source field list of select by key result fired error
syntax keyword regelClause      require otherwise reject value for each when let before after explain
syntax keyword regelConditional if then else
syntax keyword regelLogic       and or not in where
syntax keyword regelAggregate   sum count any all
syntax keyword regelBoolean     true false

syntax match regelOperator  /=>\|\.\.\|!=\|<=\|>=\|[=<>+*\/-]/
syntax match regelDelimiter /[().,:[\]]/

syntax match regelNumber   /\<\d\+\%(\.\d\+\)\=/
syntax match regelQuantity /\<\d\+\%(\.\d\+\)\=[ \t]*\%(\%(minutes\=\|min\|hours\=\|h\)\%([ \t]\+\d\+\%(\.\d\+\)\=[ \t]*\%(minutes\=\|min\)\)\=\%([ \t]*\/[ \t]*\%(day\|week\)\)\=\|years\=\|kr\|SEK\|öre\)/
syntax match regelDate     /\<\d\{4}-\d\d-\d\d/

syntax match  regelPlaceholder /{[^{}"]*}/ contained
syntax match  regelEscape      /\\./ contained
syntax region regelString start=/"/ skip=/\\./ end=/"/ oneline contains=regelPlaceholder,regelEscape

syntax keyword regelTodo TODO FIXME XXX contained
syntax match regelComment /#.*$/ contains=regelTodo,@Spell
syntax match regelLaw     /^[ \t]*>.*$/ contains=@Spell

highlight default link regelDeclaration Statement
highlight default link regelAmendment   PreProc
highlight default link regelClause      Keyword
highlight default link regelConditional Conditional
highlight default link regelLogic       Operator
highlight default link regelAggregate   Function
highlight default link regelCall        Function
highlight default link regelBoolean     Boolean
highlight default link regelOperator    Operator
highlight default link regelDelimiter   Delimiter
highlight default link regelNumber      Number
highlight default link regelQuantity    Number
highlight default link regelDate        Constant
highlight default link regelString      String
highlight default link regelPlaceholder Special
highlight default link regelEscape      SpecialChar
highlight default link regelTodo        Todo
highlight default link regelComment     Comment
highlight default link regelLaw         SpecialComment
highlight default link regelName        Identifier
highlight default link regelError       Error

let b:current_syntax = 'regel'

let &cpo = s:cpo_save
unlet s:cpo_save
