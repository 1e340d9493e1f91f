/*
 * check_file: proves the one whole-file reader and line splitter (common/file.h): a file comes
 * back whole and NUL-terminated (empty ones too), errors read "PATH: reason" for a missing file
 * and a file over the limit, file_read_regular refuses FIFOs, directories and devices at once,
 * and the splitter skips blank lines while counting them.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_run.h"
#include "file.h"

static void write_file(const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(text, 1, len, f), len);
    ck_assert_int_eq(fclose(f), 0);
}

START_TEST(reads_whole_files)
{
    char path[] = "/tmp/check_file_XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    static char big[200000];
    for (size_t i = 0; i < sizeof(big); i++)
        big[i] = (char)('a' + i % 26);
    size_t sizes[] = { 0, 1, 65535, 65536, 65537, sizeof(big) };
    for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
        write_file(path, big, sizes[k]);
        char *buf = NULL, err[256];
        size_t len = 1;
        ck_assert_int_eq(file_read_all(path, &buf, &len, SIZE_MAX, err, sizeof(err)), 0);
        ck_assert_uint_eq(len, sizes[k]);
        ck_assert_int_eq(memcmp(buf, big, len), 0);
        ck_assert_int_eq(buf[len], '\0');
        free(buf);
    }
    char *buf = NULL, err[256], want[300];
    size_t len = 0;
    ck_assert_int_eq(file_read_all(path, &buf, &len, sizeof(big) - 1, err, sizeof(err)), -1);
    ck_assert_ptr_null(buf);
    snprintf(want, sizeof(want), "%s: larger than %zu bytes", path, sizeof(big) - 1);
    ck_assert_str_eq(err, want);
    unlink(path);
    ck_assert_int_eq(file_read_all(path, &buf, &len, SIZE_MAX, err, sizeof(err)), -1);
    snprintf(want, sizeof(want), "%s: No such file or directory", path);
    ck_assert_str_eq(err, want);
}
END_TEST

/*
 * file_read_regular reads a regular file as file_read_all does, and refuses a FIFO (without
 * waiting for a writer), a directory and a device with "PATH: not a regular file (KIND)".
 */
START_TEST(regular_files_only)
{
    char dir[] = "/tmp/check_file_XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char fifo[64], plain[64], want[128], err[256], *buf = NULL;
    size_t len = 0;
    snprintf(fifo, sizeof fifo, "%s/fifo", dir);
    snprintf(plain, sizeof plain, "%s/plain", dir);
    write_file(plain, "abc\n", 4);
    ck_assert_int_eq(file_read_regular(plain, &buf, &len, 4, err, sizeof err), 0);
    ck_assert_uint_eq(len, 4);
    ck_assert_str_eq(buf, "abc\n");
    free(buf);
    ck_assert_int_eq(file_read_regular(plain, &buf, &len, 3, err, sizeof err), -1);
    snprintf(want, sizeof want, "%s: larger than 3 bytes", plain);
    ck_assert_str_eq(err, want);

    ck_assert_int_eq(mkfifo(fifo, 0600), 0);
    const struct {
        const char *path, *kind;
    } refused[] = { { fifo, "a FIFO" },
                    { dir, "a directory" },
                    { "/dev/null", "a character device" } };
    for (size_t k = 0; k < sizeof refused / sizeof refused[0]; k++) {
        ck_assert_int_eq(file_read_regular(refused[k].path, &buf, &len, SIZE_MAX, err, sizeof err),
                         -1);
        ck_assert_ptr_null(buf);
        snprintf(want, sizeof want, "%s: not a regular file (%s)", refused[k].path,
                 refused[k].kind);
        ck_assert_str_eq(err, want);
    }
    snprintf(want, sizeof want, "%s/missing: No such file or directory", dir);
    snprintf(plain + strlen(dir), sizeof plain - strlen(dir), "/missing");
    ck_assert_int_eq(file_read_regular(plain, &buf, &len, SIZE_MAX, err, sizeof err), -1);
    ck_assert_str_eq(err, want);
    snprintf(plain, sizeof plain, "%s/plain", dir);
    ck_assert_int_eq(unlink(plain), 0);
    ck_assert_int_eq(unlink(fifo), 0);
    ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

START_TEST(splits_lines_and_counts_blank_ones)
{
    const char *text = "first\n\n  \t\r\nthird one\r\nlast";
    size_t pos = 0, start, end, len = strlen(text);
    unsigned lineno = 0;
    ck_assert(file_next_line(text, len, &pos, &lineno, &start, &end));
    ck_assert_uint_eq(lineno, 1);
    ck_assert_int_eq(memcmp(text + start, "first", end - start), 0);
    ck_assert(file_next_line(text, len, &pos, &lineno, &start, &end));
    ck_assert_uint_eq(lineno, 4);
    ck_assert_uint_eq(end - start, strlen("third one\r"));
    ck_assert(file_next_line(text, len, &pos, &lineno, &start, &end));
    ck_assert_uint_eq(lineno, 5);
    ck_assert_uint_eq(end - start, 4);
    ck_assert(!file_next_line(text, len, &pos, &lineno, &start, &end));
}
END_TEST

static Suite *file_suite(void)
{
    Suite *s = suite_create("file");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, reads_whole_files);
    tcase_add_test(tc, regular_files_only);
    tcase_add_test(tc, splits_lines_and_counts_blank_ones);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_run(file_suite());
}
