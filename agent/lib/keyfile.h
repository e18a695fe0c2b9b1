/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Keys on disk: one base64 line, as wg keeps them, in a file only its
 * owner may read.
 */
#ifndef GEM_KEYFILE_H
#define GEM_KEYFILE_H

#include <stddef.h>
#include <stdint.h>

#define GEM_KEY_MAX 64

/*
 * Reads a key of min..max bytes from path ("-" for standard input) into
 * key, sets *len. On failure returns -1 with a message naming the file in
 * err; nothing of the key is left in memory.
 */
int gem_keyfile_read(const char *path, uint8_t *key, size_t min, size_t max, size_t *len,
		     char *err, size_t errlen);

/* Writes len random bytes as base64 and a newline to stdout. */
int gem_keyfile_generate(size_t len);

/*
 * Writes key as a key file at path: created mode 0600, never over an
 * existing file or through a symlink. -1 with a message naming the file.
 */
int gem_keyfile_write(const char *path, const uint8_t *key, size_t len, char *err,
		      size_t errlen);

#endif /* GEM_KEYFILE_H */
