// SPDX-License-Identifier: GPL-2.0
/*
 * Keys on disk: one base64 line, in a file only its owner may read.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "keyfile.h"

int gem_keyfile_read(const char *path, uint8_t *key, size_t min, size_t max, size_t *len,
		     char *err, size_t errlen)
{
	char text[2 * GEM_KEY_MAX + 8];
	const char *end;
	struct stat st;
	size_t n = 0;
	ssize_t r;
	int fd, ret = -1;

	if (sodium_init() < 0) {
		snprintf(err, errlen, "libsodium did not initialise");
		return -1;
	}
	fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : STDIN_FILENO;
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (S_ISREG(st.st_mode) && (st.st_mode & 077)) {
		snprintf(err, errlen,
			 "%s: key file is readable by group or others (mode %04o); chmod 600 it",
			 path, (unsigned int)(st.st_mode & 07777));
		goto out;
	}
	while (n < sizeof(text) - 1 && (r = read(fd, text + n, sizeof(text) - 1 - n)) > 0)
		n += r;
	text[n] = '\0';
	while (n && (text[n - 1] == '\n' || text[n - 1] == '\r' || text[n - 1] == ' '))
		text[--n] = '\0';
	if (n == sizeof(text) - 1) {
		snprintf(err, errlen, "%s: key: longer than %d bytes", path, GEM_KEY_MAX);
		goto out;
	}
	if (sodium_base642bin(key, max, text, n, NULL, len, &end,
			      sodium_base64_VARIANT_ORIGINAL) || *end) {
		snprintf(err, errlen, "%s: key: not base64, or longer than %zu bytes", path, max);
		goto out;
	}
	if (*len < min) {
		snprintf(err, errlen, "%s: key: %zu bytes, at least %zu needed", path, *len, min);
		goto out;
	}
	ret = 0;
out:
	sodium_memzero(text, sizeof(text));
	if (ret)
		sodium_memzero(key, max);
	if (fd != STDIN_FILENO)
		close(fd);
	return ret;
}

int gem_keyfile_generate(size_t len)
{
	uint8_t key[GEM_KEY_MAX];
	char text[sodium_base64_ENCODED_LEN(GEM_KEY_MAX, sodium_base64_VARIANT_ORIGINAL)];

	if (len > sizeof(key) || sodium_init() < 0)
		return -1;
	randombytes_buf(key, len);
	sodium_bin2base64(text, sizeof(text), key, len, sodium_base64_VARIANT_ORIGINAL);
	sodium_memzero(key, sizeof(key));
	printf("%s\n", text);
	sodium_memzero(text, sizeof(text));
	return 0;
}

int gem_keyfile_write(const char *path, const uint8_t *key, size_t len, char *err,
		      size_t errlen)
{
	char text[sodium_base64_ENCODED_LEN(GEM_KEY_MAX, sodium_base64_VARIANT_ORIGINAL) + 1];
	size_t n;
	int fd, ok;

	if (len > GEM_KEY_MAX || sodium_init() < 0) {
		snprintf(err, errlen, "%s: cannot encode a key of %zu bytes", path, len);
		return -1;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	sodium_bin2base64(text, sizeof(text) - 1, key, len, sodium_base64_VARIANT_ORIGINAL);
	n = strlen(text);
	text[n++] = '\n';
	/* The umask may have been looser than the mode asked for; never tighter. */
	ok = fchmod(fd, 0600) == 0 && write(fd, text, n) == (ssize_t)n;
	sodium_memzero(text, sizeof(text));
	if (close(fd) || !ok) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		unlink(path);
		return -1;
	}
	return 0;
}
