// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for gemd's handling of a whole Babel packet as it
 * comes from the socket (babel_input): the checks before it is taken,
 * MACs and counters included, then every TLV's effect on neighbours,
 * routes, requests and GEM fragments. One speaker is kept across inputs,
 * so state builds up as it would; its timers run every 64 inputs.
 *
 * An input's first byte chooses: bit 0 MACs on, bit 1 the destination
 * ff02::1:6 (else our address), bit 2 challenges to all (ESP), bit 3 the
 * packet sealed with the right key first (so it gets past the MAC), bits
 * 4 to 7 the sender (one of 16 link-local addresses). The rest is the
 * packet.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "babel/babel.h"
#include "babel/babel_mac.h"
#include "babel/babel_packet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct babel b;
static struct babel_mac_sender senders[16];

static void setup(void)
{
	static struct babel_table table;
	struct babel_iface *f = &b.ifaces[0];

	if (sodium_init() < 0)
		abort();
	b.fd = -1;			/* what it sends is lost, counted */
	b.table = &table;
	b.install = false;		/* no kernel routes */
	memset(b.router_id, 0x11, sizeof(b.router_id));
	randombytes_buf(b.mac_key, sizeof(b.mac_key));
	b.n_ifaces = 1;
	strcpy(f->name, "fuzz0");
	f->ifindex = 7;
	f->ll[0] = 0xfe;
	f->ll[1] = 0x80;
	f->ll[15] = 1;
	f->hello_ms = 1000;
	f->update_ms = 4000;
	f->up = true;
	b.items_ms = 60000;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t group[16] = { 0xff, 0x02, [13] = 1, [15] = 6 };
	static uint64_t now = 1000, inputs;
	static uint8_t pkt[4096 + BABEL_MAC_ROOM];
	uint8_t src[16] = { 0xfe, 0x80, [14] = 0x66 };
	size_t len;

	if (!b.table)
		setup();
	if (size < 1 || size - 1 > 4096)
		return 0;
	b.mac = data[0] & 1;
	b.mac_multicast = data[0] & 4;
	src[15] = (uint8_t)(2 + (data[0] >> 4));
	len = size - 1;
	memcpy(pkt, data + 1, len);
	if ((data[0] & 8) && len >= 4 && (size_t)(pkt[2] << 8 | pkt[3]) + 4 == len) {
		size_t sealed = babel_mac_seal(b.mac_key, &senders[data[0] >> 4], src,
					       data[0] & 2 ? group : b.ifaces[0].ll, pkt, len,
					       sizeof(pkt));

		if (sealed)
			len = sealed;
	}
	now += 37;
	babel_input(&b, 7, src, BABEL_PORT, data[0] & 2 ? group : b.ifaces[0].ll, pkt, len, now);
	if (!(++inputs & 63)) {
		b.next_check_ms = UINT64_MAX;	/* fuzz0 is no interface of the host's */
		babel_run_timers(&b, now);
	}
	return 0;
}
