/* Answers JSON Lines from standard input through lce_eval, in one session, one answer line
 * per line: test.sh compares its output with that of `lce eval` on every golden vector. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lce.h"

int main(void) {
    lce_session *s = lce_session_new();
    size_t cap = 1 << 16, n;
    char *out = malloc(cap);
    char *line = NULL;
    size_t line_cap = 0;
    ssize_t len;
    lce_error err;
    while ((len = getline(&line, &line_cap, stdin)) > 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) len--;
        size_t i = 0;
        while (i < (size_t)len && (line[i] == ' ' || line[i] == '\t')) i++;
        if (i == (size_t)len) continue; /* a blank line: lce eval skips it */
        lce_status st = lce_eval(s, line, (size_t)len, out, cap, &n, &err);
        if (st == LCE_STATUS_BUFFER_TOO_SMALL) {
            cap = n + 1;
            out = realloc(out, cap);
            st = lce_eval(s, line, (size_t)len, out, cap, &n, &err);
        }
        if (st != LCE_STATUS_OK) {
            fprintf(stderr, "lce_eval: %s: %s\n", err.kind, err.what);
            return 1;
        }
        fwrite(out, 1, n, stdout);
        fputc('\n', stdout);
    }
    free(line);
    free(out);
    lce_session_free(s);
    return 0;
}
