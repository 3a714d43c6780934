/*
 * Runs a command and reports what it cost: wall time, user and system CPU
 * time and peak resident memory of that process alone.
 *
 *   measure REPORT COMMAND [ARG...]
 *
 * writes "wall_s user_s sys_s maxrss_kib exit_status" to the file REPORT and
 * exits 0 (or 127 when COMMAND cannot be started). The benchmark runs every
 * program through this small launcher rather than straight from Python: a
 * child's peak memory (ru_maxrss) includes whatever its parent had resident
 * when it forked, and a Python interpreter holding a corpus would add its own
 * size to every figure.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double seconds(struct timeval t)
{
    return (double)t.tv_sec + (double)t.tv_usec / 1e6;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fputs("usage: measure REPORT COMMAND [ARG...]\n", stderr);
        return 2;
    }
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        return 127;
    }
    if (pid == 0) {
        execvp(argv[2], argv + 2);
        perror(argv[2]);
        _exit(127);
    }
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0) {
        perror("wait4");
        return 127;
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    double wall = (double)(end.tv_sec - start.tv_sec) + (double)(end.tv_nsec - start.tv_nsec) / 1e9;
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    FILE *report = fopen(argv[1], "w");
    if (!report) {
        perror(argv[1]);
        return 127;
    }
    fprintf(report, "%.6f %.6f %.6f %ld %d\n", wall, seconds(ru.ru_utime), seconds(ru.ru_stime), ru.ru_maxrss, code);
    fclose(report);
    return code == 127 ? 127 : 0;
}
