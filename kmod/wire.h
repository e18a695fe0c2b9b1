/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GEM: the sealed packet's header, written and read, and the packet
 * around it located.
 */
#ifndef _GEM_WIRE_H
#define _GEM_WIRE_H

#include <linux/gem.h>
#include <linux/in6.h>
#include <linux/skbuff.h>
#include <linux/types.h>

#define GEM_NONCE_LEN	12

/*
 * The header of a sealed UDP payload, as Documentation/gem/wire-format.rst
 * lays it out:
 *
 *	struct gem_wire_hdr | ciphertext | AEAD tag | GAK tag
 *
 * Its length and the tags' are in <linux/gem.h>, generated from the spec,
 * which YNL gives no structs; the layout is gem.ko's alone to read.
 */
struct gem_wire_hdr {
	u8	ver_flags;	/* version in the high nibble; no flags yet */
	u8	key_id;		/* which of the stream's keys sealed it */
	u8	pn[8];		/* packet number, big endian: nonce and replay position */
};

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

/**
 * struct gem_pkt - what the receive path reads off a sealed packet
 * @family: AF_INET or AF_INET6
 * @src: source address (IPv4 in the first four bytes)
 * @dst: group address (likewise)
 * @ports: the UDP source and destination ports, as on the wire
 * @nhlen: bytes from the network header to the UDP header
 * @w: the GEM header
 */
struct gem_pkt {
	u8 family;
	union {
		__be32 v4;
		struct in6_addr v6;
	} src, dst;
	__be16 ports[2];
	unsigned int nhlen;
	struct gem_wire w;
};

void gem_wire_put_hdr(void *buf, u8 key_id, u64 pn);
int gem_wire_parse(const void *payload, unsigned int len, struct gem_wire *w);
void gem_wire_nonce(u8 nonce[GEM_NONCE_LEN], u8 key_id, u64 pn);
int gem_wire_udp_locate(struct sk_buff *skb, unsigned int extra, unsigned int *nhlen);
int gem_wire_parse_sealed(struct sk_buff *skb, struct gem_pkt *p);

#endif /* _GEM_WIRE_H */
