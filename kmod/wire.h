/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GEM: the sealed packet's header, written and read.
 */
#ifndef _GEM_WIRE_H
#define _GEM_WIRE_H

#include <linux/gem.h>
#include <linux/types.h>

#define GEM_NONCE_LEN	12

/**
 * struct gem_wire - what a sealed UDP payload says about itself
 * @key_id: the key it was sealed with
 * @pn: its packet number
 * @text_len: length of the ciphertext, which is the plaintext's
 */
struct gem_wire {
	u8 key_id;
	u64 pn;
	unsigned int text_len;
};

void gem_wire_put_hdr(void *buf, u8 key_id, u64 pn);
int gem_wire_parse(const void *payload, unsigned int len, struct gem_wire *w);
void gem_wire_nonce(u8 nonce[GEM_NONCE_LEN], u8 key_id, u64 pn);

#endif /* _GEM_WIRE_H */
