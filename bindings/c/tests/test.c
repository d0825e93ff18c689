/* The C ABI, compiled with the system cc against liblce_c.a: exact values, errors as codes
 * with static what/why strings, batches, liquidation, Black-Scholes, lce eval sessions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lce.h"

static int failures = 0, passed = 0;

#define CHECK(cond)                                                              \
    do {                                                                         \
        if (cond) {                                                              \
            passed++;                                                            \
        } else {                                                                 \
            failures++;                                                          \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                        \
    } while (0)

static lce_wad w(const char *text) {
    lce_wad out = {0, 0};
    lce_error err;
    if (lce_wad_parse(text, &out, &err) != LCE_STATUS_OK) {
        fprintf(stderr, "cannot parse %s: %s\n", text, err.what);
        exit(2);
    }
    return out;
}

static int text_is(lce_wad value, const char *expected) {
    char buf[LCE_WAD_TEXT_MAX];
    size_t n = lce_wad_format(value, buf, sizeof buf);
    if (n != strlen(expected) || strcmp(buf, expected) != 0) {
        fprintf(stderr, "  got %s, expected %s\n", buf, expected);
        return 0;
    }
    return 1;
}

int main(void) {
    lce_error err;

    /* Numbers: text and raw halves. */
    lce_wad one = w("1");
    CHECK(one.lo == 1000000000000000000ULL && one.hi == 0);
    lce_wad neg = w("-0.000000000000000001");
    CHECK(neg.lo == UINT64_MAX && neg.hi == -1);
    CHECK(text_is(w("170141183460469231731.687303715884105727"), "170141183460469231731.687303715884105727"));
    CHECK(lce_wad_parse("1.0000000000000000001", &neg, &err) == LCE_STATUS_INVALID);
    CHECK(strcmp(err.kind, "invalid") == 0 && strcmp(err.what, "text") == 0 && err.why != NULL);
    lce_wad y;
    CHECK(lce_wad_mul(w("1.5"), w("2"), LCE_ROUNDING_FLOOR, &y, &err) == LCE_STATUS_OK && text_is(y, "3"));
    CHECK(lce_wad_div(w("1"), w("3"), LCE_ROUNDING_CEIL, &y, &err) == LCE_STATUS_OK && text_is(y, "0.333333333333333334"));
    CHECK(lce_wad_div(w("1"), w("0"), LCE_ROUNDING_FLOOR, &y, &err) == LCE_STATUS_DIVISION_BY_ZERO);
    CHECK(strcmp(err.kind, "division_by_zero") == 0 && err.why == NULL);
    CHECK(lce_wad_mul(w("170141183460469231731"), w("2"), LCE_ROUNDING_FLOOR, &y, &err) == LCE_STATUS_OVERFLOW);
    char small[4];
    CHECK(lce_wad_format(w("12345"), small, sizeof small) == 5);

    /* Health: Aave's example, 4 ETH at 2500 (threshold 0.8) against 6000 USD. */
    lce_token tokens[2];
    lce_token_init(&tokens[0], w("2500"), w("0.75"), w("0.8"), w("1"), w("1"));
    lce_token_init(&tokens[1], w("1"), w("1"), w("1"), w("1"), w("1"));
    lce_position account[2] = {{0, w("4")}, {1, w("-6000")}};
    lce_health h;
    CHECK(lce_account_health(tokens, 2, account, 2, LCE_LEVEL_MAINTENANCE, &h, &err) == LCE_STATUS_OK);
    CHECK(text_is(h.assets, "8000") && text_is(h.value, "2000"));
    CHECK(h.has_factor && text_is(h.factor, "1.333333333333333333"));
    CHECK(lce_account_health(tokens, 2, account, 2, LCE_LEVEL_INITIAL, &h, &err) == LCE_STATUS_OK && text_is(h.value, "1500"));

    /* Errors name the field and the element. */
    lce_token bad[2] = {tokens[0], tokens[1]};
    bad[1].maint_asset_weight = w("2");
    CHECK(lce_account_health(bad, 2, account, 2, LCE_LEVEL_MAINTENANCE, &h, &err) == LCE_STATUS_INVALID);
    CHECK(err.index == 1 && strcmp(err.kind, "invalid") == 0 && strlen(err.what) > 0);
    /* The kernel's why, as lce eval writes it for tokens[1].maint_asset_weight. */
    CHECK(err.why != NULL && strcmp(err.why, "must be in [init_asset_weight, 1]") == 0);
    lce_position nowhere[1] = {{7, w("1")}};
    CHECK(lce_account_health(tokens, 2, nowhere, 1, LCE_LEVEL_MAINTENANCE, &h, &err) == LCE_STATUS_INVALID);
    CHECK(err.index == 0 && strcmp(err.what, "token") == 0);
    CHECK(lce_account_health(tokens, 2, NULL, 3, LCE_LEVEL_MAINTENANCE, &h, &err) == LCE_STATUS_INVALID);
    CHECK(lce_account_health(tokens, 2, account, 2, LCE_LEVEL_MAINTENANCE, NULL, &err) == LCE_STATUS_INVALID);
    CHECK(lce_account_health(tokens, 2, account, 2, LCE_LEVEL_MAINTENANCE, NULL, NULL) == LCE_STATUS_INVALID);

    /* A batch: row i is account i's balance of each token. */
    lce_wad rows[3 * 2] = {w("4"), w("-6000"), w("4"), w("-8001"), w("0"), w("-1")};
    lce_health hs[3];
    bool liq[3];
    CHECK(lce_account_health_batch(tokens, 2, rows, 3, LCE_LEVEL_MAINTENANCE, hs, liq, &err) == LCE_STATUS_OK);
    CHECK(!liq[0] && liq[1] && liq[2] && text_is(hs[1].value, "-1") && text_is(hs[2].liabilities, "1"));
    CHECK(!hs[0].has_factor == 0);

    /* A liquidation, applied to the positions in place (liquidate.jsonl's first case). */
    lce_token even[2];
    lce_token_init(&even[0], w("1"), w("0.8"), w("0.8"), w("1.2"), w("1.2"));
    lce_token_init(&even[1], w("1"), w("0.8"), w("0.8"), w("1.2"), w("1.2"));
    lce_position under[2] = {{0, w("10")}, {1, w("-9")}};
    lce_token_liquidation r;
    CHECK(lce_liquidate_token(even, 2, under, 2, 1, 0, NULL, LCE_LEVEL_LIQUIDATION_END, &r, &err) == LCE_STATUS_OK);
    CHECK(text_is(r.repay, "7") && text_is(r.seize, "7") && strcmp(r.limit, "target") == 0);
    CHECK(text_is(under[0].balance, "3") && text_is(under[1].balance, "-2"));
    CHECK(text_is(r.health_after.value, "0"));
    CHECK(lce_liquidate_token(even, 2, under, 2, 0, 0, NULL, LCE_LEVEL_LIQUIDATION_END, &r, &err) == LCE_STATUS_INVALID);
    CHECK(strcmp(err.what, "collateral") == 0);

    /* Black-Scholes (options/bs_price.jsonl: a call at the money, one year, vol 0.2, r 0.05). */
    lce_bs_inputs bs = {w("100"), w("100"), w("0.2"), w("1"), w("0.05"), w("0")};
    lce_wad p;
    CHECK(lce_bs_price(LCE_OPTION_KIND_CALL, &bs, LCE_ROUNDING_FLOOR, &p, &err) == LCE_STATUS_OK);
    CHECK(text_is(p, "10.450583572185566781"));
    lce_greeks g;
    CHECK(lce_bs_greeks(LCE_OPTION_KIND_PUT, &bs, LCE_ROUNDING_FLOOR, &g, &err) == LCE_STATUS_OK);
    CHECK(g.delta.hi < 0);
    bs.vol = w("-1");
    CHECK(lce_bs_price(LCE_OPTION_KIND_CALL, &bs, LCE_ROUNDING_FLOOR, &p, &err) == LCE_STATUS_INVALID);
    CHECK(strcmp(err.what, "vol") == 0 && err.why != NULL && strcmp(err.why, "must be in (0, 10]") == 0);

    /* lce eval: a session, a define, a buffer too small. */
    lce_session *s = lce_session_new();
    char out[2048];
    size_t n;
    const char *define = "{\"op\":\"define\",\"input\":{\"name\":\"m\",\"tokens\":[{\"price\":\"1\",\"init_asset_weight\":\"0.5\","
                         "\"maint_asset_weight\":\"0.5\",\"init_liab_weight\":\"1\",\"maint_liab_weight\":\"1\"}]}}";
    CHECK(lce_eval(s, define, strlen(define), out, sizeof out, &n, &err) == LCE_STATUS_OK);
    CHECK(strstr(out, "\"output\":{\"name\":\"m\",\"tokens\":1,\"perps\":0,\"options\":0}") != NULL && n == strlen(out));
    const char *named = "{\"op\":\"health\",\"input\":{\"tokens\":\"m\",\"account\":[{\"token\":0,\"balance\":\"3\"}]}}";
    CHECK(lce_eval(s, named, strlen(named), out, sizeof out, &n, &err) == LCE_STATUS_OK);
    CHECK(strstr(out, "\"maintenance\":{\"assets\":\"1.5\"") != NULL);
    CHECK(lce_eval(NULL, named, strlen(named), out, sizeof out, &n, &err) == LCE_STATUS_OK);
    CHECK(strstr(out, "\"what\":\"tokens\"") != NULL);
    CHECK(lce_eval(s, named, strlen(named), small, sizeof small, &n, &err) == LCE_STATUS_BUFFER_TOO_SMALL);
    CHECK(n > sizeof small && strcmp(err.kind, "buffer_too_small") == 0);
    lce_session_free(s);
    lce_session_free(NULL);

    CHECK(strcmp(lce_status_name(LCE_STATUS_DOMAIN), "domain") == 0 && strlen(lce_version()) > 0);

    printf("%d passed, %d failed\n", passed, failures);
    return failures == 0 ? 0 : 1;
}
