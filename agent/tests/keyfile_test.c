// SPDX-License-Identifier: GPL-2.0
/*
 * Key files: read when private and well-formed; refused, with the file
 * named, when group/world-readable, not base64, too short or too long.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/keyfile.h"
#include "test.h"

static char path[64];

static void write_key(const char *text, mode_t mode)
{
	int fd;

	strcpy(path, "/tmp/gem-keyfile-test-XXXXXX");
	fd = mkstemp(path);
	if (write(fd, text, strlen(text)) < 0)
		abort();
	fchmod(fd, mode);
	close(fd);
}

/* 32 bytes 0x00..0x1f */
#define KEY32 "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="

static void test_reads_private_key(void)
{
	uint8_t key[GEM_KEY_MAX];
	char err[256] = "";
	size_t len = 0, i;

	write_key(KEY32 "\n", 0600);
	EXPECT(gem_keyfile_read(path, key, 32, 32, &len, err, sizeof(err)) == 0);
	EXPECT(len == 32);
	for (i = 0; i < 32; i++)
		EXPECT(key[i] == i);
	unlink(path);
}

static void test_refuses_readable_by_others(void)
{
	uint8_t key[GEM_KEY_MAX];
	mode_t modes[] = { 0640, 0604, 0644, 0660 };
	char err[256];
	size_t len, i;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		write_key(KEY32, modes[i]);
		err[0] = '\0';
		EXPECT(gem_keyfile_read(path, key, 32, 32, &len, err, sizeof(err)) == -1);
		EXPECT(strstr(err, path) != NULL);
		EXPECT(strstr(err, "readable by group or others") != NULL);
		unlink(path);
	}
}

static void test_refuses_bad_content(void)
{
	const char *bad[] = { "not base64 at all!", "AAEC", KEY32 KEY32 KEY32, "" };
	uint8_t key[GEM_KEY_MAX];
	char err[256];
	size_t len, i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		write_key(bad[i], 0600);
		err[0] = '\0';
		EXPECT(gem_keyfile_read(path, key, 32, 32, &len, err, sizeof(err)) == -1);
		EXPECT(strstr(err, path) != NULL);
		EXPECT(strstr(err, "key") != NULL);
		unlink(path);
	}
}

static void test_missing_file_named(void)
{
	uint8_t key[GEM_KEY_MAX];
	char err[256] = "";
	size_t len;

	EXPECT(gem_keyfile_read("/nonexistent/gem.key", key, 16, 64, &len, err,
				sizeof(err)) == -1);
	EXPECT(strstr(err, "/nonexistent/gem.key") != NULL);
}

int main(void)
{
	RUN(test_reads_private_key);
	RUN(test_refuses_readable_by_others);
	RUN(test_refuses_bad_content);
	RUN(test_missing_file_named);
	return TEST_EXIT();
}
