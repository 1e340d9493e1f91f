/*
 * check_fit: proves the least-squares fit (experiments/fit.c) gives the known answer — exact
 * lines exactly, a hand-computed textbook case to 1e-9 (slope, intercept, R², both standard
 * errors), no loss of precision under large offsets — refuses what cannot be fitted, and that
 * gl-fit's tables (experiments/sweeptab.c, sweeptab_write.c) turn a sweep CSV (with the column
 * names of sweeps before axes) into byte-exact fit.csv and summary.csv, skipping failed runs and
 * naming strategies that cannot be fitted; and that with an axis besides the strategy and T they
 * group by it, flag a poor fit (R² < 0.9) and find the exact frontier, labelled by what differs.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "fit.h"
#include "sweeptab.h"

START_TEST(exact_line_is_exact)
{
    const double x[] = { 0, 10, 20, 50, 100, 200, 300, 500, 1000 };
    double y[9];
    for (size_t i = 0; i < 9; i++)
        y[i] = 2.0 * x[i] + 100.0;
    struct fit_line f;
    char err[128];
    ck_assert_int_eq(fit_linear(x, y, 9, &f, err, sizeof err), 0);
    ck_assert_uint_eq(f.n, 9);
    ck_assert_double_eq_tol(f.k, 2.0, 1e-12);
    ck_assert_double_eq_tol(f.b, 100.0, 1e-9);
    ck_assert_double_eq_tol(f.r2, 1.0, 1e-12);
    ck_assert_double_eq_tol(f.se_k, 0.0, 1e-9);
    ck_assert_double_eq_tol(f.se_b, 0.0, 1e-9);
}
END_TEST

/*
 * x = 0 1 2 3, y = 1 3 2 5: xm = 1.5, ym = 2.75, Sxx = 5, Sxy = 5.5, Syy = 8.75, so k = 1.1,
 * b = 1.1, residuals -0.1 0.8 -1.3 0.6, SSE = 2.7, R² = 1 - 2.7/8.75 = 0.6914285714...,
 * s² = 1.35, se_k = sqrt(1.35/5) = sqrt(0.27), se_b = sqrt(1.35 (1/4 + 2.25/5)) = sqrt(0.945).
 */
START_TEST(textbook_case)
{
    const double x[] = { 0, 1, 2, 3 }, y[] = { 1, 3, 2, 5 };
    struct fit_line f;
    char err[128];
    ck_assert_int_eq(fit_linear(x, y, 4, &f, err, sizeof err), 0);
    ck_assert_double_eq_tol(f.k, 1.1, 1e-12);
    ck_assert_double_eq_tol(f.b, 1.1, 1e-12);
    ck_assert_double_eq_tol(f.r2, 1.0 - 2.7 / 8.75, 1e-12);
    ck_assert_double_eq_tol(f.se_k, sqrt(0.27), 1e-12);
    ck_assert_double_eq_tol(f.se_b, sqrt(0.945), 1e-12);
}
END_TEST

/* The same data shifted by 1e9 in x: centred sums keep the slope and its error exact. */
START_TEST(large_offset_keeps_precision)
{
    const double x[] = { 1e9, 1e9 + 1, 1e9 + 2, 1e9 + 3 }, y[] = { 1, 3, 2, 5 };
    struct fit_line f;
    char err[128];
    ck_assert_int_eq(fit_linear(x, y, 4, &f, err, sizeof err), 0);
    ck_assert_double_eq_tol(f.k, 1.1, 1e-9);
    ck_assert_double_eq_tol(f.r2, 1.0 - 2.7 / 8.75, 1e-9);
    ck_assert_double_eq_tol(f.se_k, sqrt(0.27), 1e-9);
    ck_assert_double_eq_tol(f.b + 1.1e9, 1.1, 1e-3);
}
END_TEST

START_TEST(two_points_have_no_standard_errors)
{
    const double x[] = { 0, 100 }, y[] = { 150, 250 };
    struct fit_line f;
    char err[128];
    ck_assert_int_eq(fit_linear(x, y, 2, &f, err, sizeof err), 0);
    ck_assert_double_eq_tol(f.k, 1.0, 1e-12);
    ck_assert_double_eq_tol(f.b, 150.0, 1e-12);
    ck_assert_double_eq(f.r2, 1.0);
    ck_assert(isnan(f.se_k));
    ck_assert(isnan(f.se_b));
}
END_TEST

START_TEST(flat_data_fits_exactly)
{
    const double x[] = { 0, 10, 20 }, y[] = { 7, 7, 7 };
    struct fit_line f;
    char err[128];
    ck_assert_int_eq(fit_linear(x, y, 3, &f, err, sizeof err), 0);
    ck_assert_double_eq(f.k, 0.0);
    ck_assert_double_eq(f.b, 7.0);
    ck_assert_double_eq(f.r2, 1.0);
    ck_assert_double_eq(f.se_k, 0.0);
}
END_TEST

START_TEST(refuses_what_cannot_be_fitted)
{
    struct fit_line f;
    char err[128];
    const double one[] = { 5 };
    ck_assert_int_eq(fit_linear(one, one, 1, &f, err, sizeof err), -1);
    ck_assert_str_eq(err, "a line needs at least 2 points, got 1");
    const double same_x[] = { 3, 3, 3 }, y[] = { 1, 2, 3 };
    ck_assert_int_eq(fit_linear(same_x, y, 3, &f, err, sizeof err), -1);
    ck_assert_str_eq(err, "all 3 points have the same x (3): no slope to fit");
    const double x[] = { 1, 2, 3 }, bad_y[] = { 1, NAN, 3 };
    ck_assert_int_eq(fit_linear(x, bad_y, 3, &f, err, sizeof err), -1);
    ck_assert_str_eq(err, "point 2 is not finite");
}
END_TEST

/*
 * A sweep CSV with its columns in an unusual order. tree: p50 = 2T + 100 + e with e = -10, 0,
 * +10 over three seeds (the seeds' mean lies on the line, so k = 2, b = 100 exactly; SSE = 600,
 * Syy = 240600, R² = 0.997506..., s² = 600/7, Sxx = 60000, se_k = 0.037796..., se_b =
 * 4.879500...), p95 = T + 300 and max = 3T + 500 exactly. star: two timeouts, one seed (exact,
 * no standard errors). solo: one timeout, two seeds (no fit). A failed run and an invalid one are
 * skipped.
 */
static const char sweep_csv[] =
    "seed,strategy,timeout_ms,stable_p50,stable_p95,stable_max,msgs_per_op_servers,nodes_lacking,"
    "status,reason\n"
    "1,tree,0,90,300,500,19,0,ok,\n"
    "2,tree,0,100,300,500,20,2,ok,\n"
    "3,tree,0,110,300,500,21,0,ok,\n"
    "1,tree,100,290,400,800,19,0,ok,\n"
    "2,tree,100,300,400,800,20,0,ok,\n"
    "3,tree,100,310,400,800,21,0,ok,\n"
    "1,tree,200,490,500,1100,19,,ok,\n"
    "2,tree,200,500,500,1100,20,,ok,\n"
    "3,tree,200,510,500,1100,21,,ok,\n"
    "1,tree,50,,,,,,failed,the test did not complete: node n3 crashed\n"
    "1,tree,50,9999,9999,9999,5,7,invalid,lost 3 values\n"
    "\n"
    "1,star,100,250,300,600,23.5,1,ok,\n"
    "1,star,0,150,200,400,23.5,0,ok,\n"
    "1,solo,0,1,2,3,4,,ok,\n"
    "2,solo,0,1,2,3,4,3,ok,\n";

static const char fit_csv[] = "group,strategy,metric,n,k,b,r2,se_k,se_b,quality\n"
                              "tree,tree,p50,9,2.0000,100.0000,0.9975,0.0378,4.8795,good\n"
                              "tree,tree,p95,9,1.0000,300.0000,1.0000,0.0000,0.0000,good\n"
                              "tree,tree,max,9,3.0000,500.0000,1.0000,0.0000,0.0000,good\n"
                              "star,star,p50,2,1.0000,150.0000,1.0000,,,good\n"
                              "star,star,p95,2,1.0000,200.0000,1.0000,,,good\n"
                              "star,star,max,2,2.0000,400.0000,1.0000,,,good\n";

static const char fit_warnings[] =
    "gl-fit: no fit for solo p50: all 2 points have the same x (0): no slope to fit\n"
    "gl-fit: no fit for solo p95: all 2 points have the same x (0): no slope to fit\n"
    "gl-fit: no fit for solo max: all 2 points have the same x (0): no slope to fit\n";

static const char summary_csv[] =
    "group,strategy,timeout_ms,n,failed,mpo_mean,mpo_min,mpo_max,p50_mean,p50_min,p50_max,"
    "p95_mean,p95_min,p95_max,max_mean,max_min,max_max,nodes_lacking_max\n"
    "tree,tree,0,3,0,20.000,19.000,21.000,100.000,90.000,110.000,300.000,300.000,300.000,500.000,"
    "500.000,500.000,2\n"
    "tree,tree,100,3,0,20.000,19.000,21.000,300.000,290.000,310.000,400.000,400.000,400.000,"
    "800.000,800.000,800.000,0\n"
    "tree,tree,200,3,0,20.000,19.000,21.000,500.000,490.000,510.000,500.000,500.000,500.000,"
    "1100.000,1100.000,1100.000,\n"
    "star,star,0,1,0,23.500,23.500,23.500,150.000,150.000,150.000,200.000,200.000,200.000,"
    "400.000,400.000,400.000,0\n"
    "star,star,100,1,0,23.500,23.500,23.500,250.000,250.000,250.000,300.000,300.000,300.000,"
    "600.000,600.000,600.000,1\n"
    "solo,solo,0,2,0,4.000,4.000,4.000,1.000,1.000,1.000,2.000,2.000,2.000,3.000,3.000,3.000,3\n";

/* Parses text as a sweep CSV into t; returns sweeptab_parse's status. */
static int read_text(struct sweeptab *t, const char *text, char *err, size_t errlen)
{
    char *buf = strdup(text);
    ck_assert_ptr_nonnull(buf);
    int rc = sweeptab_parse(t, buf, strlen(buf), "sweep.csv", err, errlen);
    free(buf);
    return rc;
}

START_TEST(tables_from_a_sweep_csv)
{
    struct sweeptab t;
    sweeptab_init(&t);
    char err[256];
    ck_assert_int_eq(read_text(&t, sweep_csv, err, sizeof err), 0);
    ck_assert_uint_eq(t.n, 15);
    ck_assert_uint_eq(t.skipped, 2);
    ck_assert_uint_eq(t.naxes, 0); /* seed comes first: no axis but the strategy and T */

    char *fit = NULL, *warn = NULL, *sum = NULL;
    size_t fit_len = 0, warn_len = 0, sum_len = 0;
    FILE *fo = open_memstream(&fit, &fit_len), *wo = open_memstream(&warn, &warn_len);
    FILE *so = open_memstream(&sum, &sum_len);
    ck_assert_uint_eq(sweeptab_write_fit(&t, fo, wo), 6);
    ck_assert_uint_eq(sweeptab_write_summary(&t, so), 6);
    fclose(fo);
    fclose(wo);
    fclose(so);
    ck_assert_str_eq(fit, fit_csv);
    ck_assert_str_eq(warn, fit_warnings);
    ck_assert_str_eq(sum, summary_csv);
    free(fit);
    free(warn);
    free(sum);
    sweeptab_release(&t);
}
END_TEST

/*
 * A sweep with an axis besides the strategy and T (delivery.mode, a column before seed). The
 * configurations' means (mpo, p50, max): star/acks T=0 (25, 105, 205) is beaten by star/ff T=0
 * (12, 100, 200); star/acks T=100 (10, 210, 300) has the fewest messages; star/ff T=100 has a
 * failed run, so it is no candidate; tree/ff T=0 equals star/ff T=0 (neither beats the other);
 * tree/ff T=100 (30, 90, 500) has the lowest median; line/acks (20, 200, 200) at both T is beaten
 * by star/ff T=0, and its latency does not follow T (R² = 0: a poor fit).
 */
static const char axes_csv[] =
    "topology.strategy,batch.timeout_ms,delivery.mode,seed,msgs_per_op_servers,stable_p50,"
    "stable_p95,stable_max,status\n"
    "star,0,acks,1,24,100,150,200,ok\n"
    "star,0,acks,2,26,110,150,210,ok\n"
    "star,100,acks,1,10,200,250,300,ok\n"
    "star,100,acks,2,10,220,250,300,ok\n"
    "star,0,ff,1,12,100,150,200,ok\n"
    "star,0,ff,2,12,100,150,200,ok\n"
    "star,100,ff,1,5,300,350,400,ok\n"
    "star,100,ff,2,,,,,failed\n"
    "tree,0,ff,1,12,100,150,200,ok\n"
    "tree,0,ff,2,12,100,150,200,ok\n"
    "tree,100,ff,1,30,90,95,500,ok\n"
    "line,0,acks,1,20,100,100,100,ok\n"
    "line,0,acks,2,20,300,300,300,ok\n"
    "line,100,acks,1,20,200,200,200,ok\n"
    "line,100,acks,2,20,200,200,200,ok\n";

static const char axes_frontier[] =
    "label,group,strategy,timeout_ms,delivery.mode,n,mpo_mean,mpo_min,mpo_max,p50_mean,p50_min,"
    "p50_max,p95_mean,p95_min,p95_max,max_mean,max_min,max_max\n"
    "star T=100 mode=acks,star/mode=acks,star,100,acks,2,10.000,10.000,10.000,210.000,200.000,"
    "220.000,250.000,250.000,250.000,300.000,300.000,300.000\n"
    "star T=0 mode=ff,star/mode=ff,star,0,ff,2,12.000,12.000,12.000,100.000,100.000,100.000,"
    "150.000,150.000,150.000,200.000,200.000,200.000\n"
    "tree T=0 mode=ff,tree/mode=ff,tree,0,ff,2,12.000,12.000,12.000,100.000,100.000,100.000,"
    "150.000,150.000,150.000,200.000,200.000,200.000\n"
    "tree T=100 mode=ff,tree/mode=ff,tree,100,ff,1,30.000,30.000,30.000,90.000,90.000,90.000,"
    "95.000,95.000,95.000,500.000,500.000,500.000\n";

/* Writes one table of t into a new string (freed by the caller); *lines gets the writer's count. */
static char *table(const struct sweeptab *t, size_t (*write)(const struct sweeptab *, FILE *),
                   size_t *lines)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    ck_assert_ptr_nonnull(f);
    *lines = write(t, f);
    fclose(f);
    return text;
}

START_TEST(groups_frontier_and_poor_fits)
{
    struct sweeptab t;
    sweeptab_init(&t);
    char err[256];
    ck_assert_int_eq(read_text(&t, axes_csv, err, sizeof err), 0);
    ck_assert_uint_eq(t.naxes, 1);
    ck_assert_str_eq(t.axis[0], "delivery.mode");
    ck_assert_str_eq(t.axis_short[0], "mode");
    ck_assert_uint_eq(t.ngroups, 4);
    ck_assert_str_eq(t.groups[1].name, "star/mode=ff");

    size_t lines;
    char *front = table(&t, sweeptab_write_frontier, &lines);
    ck_assert_str_eq(front, axes_frontier);
    ck_assert_uint_eq(lines, 4);
    free(front);

    char *sum = table(&t, sweeptab_write_summary, &lines);
    ck_assert_uint_eq(lines, 8);
    ck_assert_ptr_nonnull(strstr(sum, "\nstar/mode=ff,star,100,ff,1,1,5.000,"));
    free(sum);

    char *fit = NULL, *warn = NULL;
    size_t fit_len = 0, warn_len = 0;
    FILE *fo = open_memstream(&fit, &fit_len), *wo = open_memstream(&warn, &warn_len);
    ck_assert_uint_eq(sweeptab_write_fit(&t, fo, wo), 12);
    fclose(fo);
    fclose(wo);
    ck_assert_ptr_nonnull(
        strstr(fit, "group,strategy,delivery.mode,metric,n,k,b,r2,se_k,se_b,quality\n"));
    ck_assert_ptr_nonnull(strstr(
        fit, "\nline/mode=acks,line,acks,p50,4,0.0000,200.0000,0.0000,1.0000,70.7107,poor\n"));
    ck_assert_ptr_nonnull(strstr(fit, "\nstar/mode=ff,star,ff,max,3,2.0000,200.0000,1.0000,"));
    ck_assert_ptr_nonnull(
        strstr(warn, "gl-fit: poor fit for line/mode=acks p50: R² 0.000 < 0.9, not a model\n"));
    ck_assert_ptr_null(strstr(warn, "poor fit for star"));
    free(fit);
    free(warn);
    sweeptab_release(&t);
}
END_TEST

/*
 * A key left out of some configurations ('-', as best.sh's spaces write it): star with its own
 * up period (5 msgs/op, p50 300, max 400) and star without (10, 200, 300), both on the
 * frontier. Group names and labels name up_ms only where it is set (a label with nothing else
 * to say names the strategy).
 */
static const char unset_csv[] =
    "topology.strategy,batch.timeout_ms,batch.up_ms,seed,msgs_per_op_servers,stable_p50,"
    "stable_p95,stable_max,status\n"
    "star,100,-,1,10,200,250,300,ok\n"
    "star,100,400,1,5,300,350,400,ok\n";

START_TEST(unset_values_are_left_out_of_names)
{
    struct sweeptab t;
    sweeptab_init(&t);
    char err[256];
    ck_assert_int_eq(read_text(&t, unset_csv, err, sizeof err), 0);
    ck_assert_uint_eq(t.ngroups, 2);
    ck_assert_str_eq(t.groups[0].name, "star");
    ck_assert_str_eq(t.groups[1].name, "star/up_ms=400");
    size_t lines;
    char *front = table(&t, sweeptab_write_frontier, &lines);
    ck_assert_uint_eq(lines, 2);
    ck_assert_ptr_nonnull(strstr(front, "\nup_ms=400,star/up_ms=400,star,100,400,1,5.000,"));
    ck_assert_ptr_nonnull(strstr(front, "\nstar,star,star,100,-,1,10.000,"));
    free(front);
    sweeptab_release(&t);
}
END_TEST

START_TEST(nodes_lacking_is_optional)
{
    /* Without the column (Maelstrom's own results, an older sweep) the field stays empty. */
    struct sweeptab t;
    sweeptab_init(&t);
    char err[256];
    ck_assert_int_eq(read_text(&t,
                               "strategy,timeout_ms,msgs_per_op_servers,stable_p50,stable_p95,"
                               "stable_max\ngrid,10,1,2,3,4\n",
                               err, sizeof err),
                     0);
    char *sum = NULL;
    size_t len = 0;
    FILE *so = open_memstream(&sum, &len);
    ck_assert_uint_eq(sweeptab_write_summary(&t, so), 1);
    fclose(so);
    ck_assert_ptr_nonnull(strstr(sum, "\ngrid,grid,10,1,0,1.000,1.000,1.000,2.000,2.000,2.000,"
                                      "3.000,3.000,3.000,4.000,4.000,4.000,\n"));
    free(sum);
    sweeptab_release(&t);
}
END_TEST

START_TEST(bad_tables_are_refused_with_a_line_number)
{
    static const struct {
        const char *text, *err;
    } cases[] = {
        { "", "sweep.csv: empty file (no header)" },
        { "strategy,timeout_ms,stable_p50,stable_p95,stable_max\n",
          "sweep.csv:1: no column 'msgs_per_op_servers' in the header" },
        { "strategy,timeout_ms,msgs_per_op_servers,stable_p50,stable_p95,stable_max\n"
          "grid,ten,1,2,3,4\n",
          "sweep.csv:2: timeout_ms 'ten' is not a number" },
        { "strategy,timeout_ms,msgs_per_op_servers,stable_p50,stable_p95,stable_max\n"
          "grid,10,1,2,3\n",
          "sweep.csv:2: 5 fields, the header names at least 6" },
        { "strategy,timeout_ms,msgs_per_op_servers,stable_p50,stable_p95,stable_max\n"
          ",10,1,2,3,4\n",
          "sweep.csv:2: strategy '' is empty or longer than 31 bytes" },
        { "topology.strategy,batch.timeout_ms,delivery.mode,seed,msgs_per_op_servers,stable_p50,"
          "stable_p95,stable_max\n"
          "grid,10,,1,1,2,3,4\n",
          "sweep.csv:2: delivery.mode '' is empty or longer than 63 bytes" },
        { "strategy,stable_p50,stable_p95,stable_max,msgs_per_op_servers\n",
          "sweep.csv:1: no column 'batch.timeout_ms' in the header" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct sweeptab t;
        sweeptab_init(&t);
        char err[256] = "";
        ck_assert_int_eq(read_text(&t, cases[i].text, err, sizeof err), -1);
        ck_assert_str_eq(err, cases[i].err);
        sweeptab_release(&t);
    }
}
END_TEST

static Suite *fit_suite(void)
{
    Suite *s = suite_create("fit");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, exact_line_is_exact);
    tcase_add_test(tc, textbook_case);
    tcase_add_test(tc, large_offset_keeps_precision);
    tcase_add_test(tc, two_points_have_no_standard_errors);
    tcase_add_test(tc, flat_data_fits_exactly);
    tcase_add_test(tc, refuses_what_cannot_be_fitted);
    tcase_add_test(tc, tables_from_a_sweep_csv);
    tcase_add_test(tc, groups_frontier_and_poor_fits);
    tcase_add_test(tc, unset_values_are_left_out_of_names);
    tcase_add_test(tc, nodes_lacking_is_optional);
    tcase_add_test(tc, bad_tables_are_refused_with_a_line_number);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_run(fit_suite());
}
