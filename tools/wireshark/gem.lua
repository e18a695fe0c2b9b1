-- SPDX-License-Identifier: GPL-2.0
--
-- gem.lua: Wireshark and tshark dissectors for GEM.
--
--   gem       the sealed UDP payload of a protected group: GEM header,
--             ciphertext, AEAD tag, GAK tag (Documentation/gem/wire-format.rst)
--   gembabel  GEM's TLVs in Babel packets: GEM Fragment (224), which
--             carries items, and GEM Request (225)
--             (Documentation/gem/control-plane.rst)
--
-- Lua, so one file serves every Wireshark release with Lua 5.2 (3.x, 4.x)
-- without a rebuild. Load it with `tshark -X lua_script:gem.lua`, or put it
-- in a Lua plugin folder (`tshark -G folders`). Documentation/gem/wireshark.rst
-- says how, and what the preferences do.
--
-- Every read is checked against the bytes there are: a short or invalid
-- header is marked with expert info (gem.malformed, gembabel.malformed),
-- never a Lua error.

local GEM_VERSION = 1
local GEM_HDR_LEN = 10
local GEM_AEAD_TAG_LEN = 16
local GEM_GAK_TAG_LEN = 16
local GEM_OVERHEAD = GEM_HDR_LEN + GEM_AEAD_TAG_LEN + GEM_GAK_TAG_LEN

-- A key's first packet number is the time of day in nanoseconds: the
-- heuristic takes a packet number only between 2000 and 2200 (the high
-- 32 bits of those times), so a stray 0x10 byte is not enough.
local PN_HI_MIN = 220417231	-- 2000-01-01
local PN_HI_MAX = 1689912378	-- 2200-01-01

------------------------------------------------------------------------
-- The data plane
------------------------------------------------------------------------

local gem = Proto("gem", "GEM sealed multicast")

local f = {
	version = ProtoField.uint8("gem.version", "Version", base.DEC, nil, 0xf0),
	flags = ProtoField.uint8("gem.flags", "Flags", base.HEX, nil, 0x0f),
	key_id = ProtoField.uint8("gem.key_id", "Key id", base.DEC),
	pn = ProtoField.uint64("gem.pn", "Packet number", base.DEC),
	pn_time = ProtoField.absolute_time("gem.pn_time", "Packet number as time",
					   base.UTC),
	text_len = ProtoField.uint32("gem.text_len", "Original UDP payload length",
				     base.DEC),
	ciphertext = ProtoField.bytes("gem.ciphertext", "Ciphertext"),
	aead_tag = ProtoField.bytes("gem.aead_tag", "AEAD tag"),
	gak_tag = ProtoField.bytes("gem.gak_tag", "GAK tag"),
	group = ProtoField.string("gem.group", "Group"),
}
gem.fields = { f.version, f.flags, f.key_id, f.pn, f.pn_time, f.text_len,
	       f.ciphertext, f.aead_tag, f.gak_tag, f.group }

local ef_malformed = ProtoExpert.new("gem.malformed", "Malformed GEM packet",
				     expert.group.MALFORMED, expert.severity.ERROR)
local ef_short = ProtoExpert.new("gem.snapped", "GEM header not all captured",
				 expert.group.UNDECODED, expert.severity.NOTE)
gem.experts = { ef_malformed, ef_short }

gem.prefs.udp_ports = Pref.range("UDP ports", "",
	"UDP ports whose datagrams are all GEM (they take the port from any " ..
	"other dissector)", 65535)
gem.prefs.groups = Pref.string("Groups", "",
	"Group prefixes whose datagrams are all GEM, even malformed ones, " ..
	"comma separated (239.1.0.0/16,ff3e::/16); the heuristic finds " ..
	"well-formed packets to any multicast group without it")

local ip_dst_f = Field.new("ip.dst")
local ipv6_dst_f = Field.new("ipv6.dst")

-- The destination of the innermost IP header (the furthest into the
-- frame: field offsets count from the frame's start): bytes and text.
local function ip_dst()
	local best
	for _, list in ipairs({ { ip_dst_f() }, { ipv6_dst_f() } }) do
		for _, fi in ipairs(list) do
			if not best or fi.offset > best.offset then best = fi end
		end
	end
	if not best then return nil end
	local ok, ba = pcall(function() return best.range:bytes() end)
	if not ok or (ba:len() ~= 4 and ba:len() ~= 16) then return nil end
	return ba, tostring(best.value)
end

local function is_multicast(ba)
	if ba:len() == 4 then
		local b = ba:get_index(0)
		return b >= 224 and b <= 239
	end
	return ba:get_index(0) == 0xff
end

-- Parses "a.b.c.d/n" or an IPv6 prefix into a ByteArray and a length.
local function parse_v4(s)
	local a, b, c, d = s:match("^(%d+)%.(%d+)%.(%d+)%.(%d+)$")
	if not a then return nil end
	local bytes = {}
	for _, x in ipairs({ a, b, c, d }) do
		x = tonumber(x)
		if x > 255 then return nil end
		bytes[#bytes + 1] = string.format("%02x", x)
	end
	return ByteArray.new(table.concat(bytes))
end

local function parse_v6(s)
	if not s:find(":") or s:find("[^%x:]") then return nil end
	local head, tail = s, nil
	local dc = s:find("::", 1, true)
	if dc then
		head, tail = s:sub(1, dc - 1), s:sub(dc + 2)
		if tail:find("::", 1, true) then return nil end
	end
	local function groups(part)
		local t = {}
		if part == "" then return t end
		for g in (part .. ":"):gmatch("([^:]*):") do
			if g == "" or #g > 4 then return nil end
			t[#t + 1] = tonumber(g, 16)
		end
		return t
	end
	local h, t = groups(head), groups(tail or "")
	if not h or not t then return nil end
	local n = #h + #t
	if (dc and n > 7) or (not dc and n ~= 8) then return nil end
	local all = {}
	for _, g in ipairs(h) do all[#all + 1] = g end
	for _ = 1, 8 - n do all[#all + 1] = 0 end
	for _, g in ipairs(t) do all[#all + 1] = g end
	local hex = {}
	for _, g in ipairs(all) do hex[#hex + 1] = string.format("%04x", g) end
	return ByteArray.new(table.concat(hex))
end

local group_prefixes = {}

local function parse_groups(text)
	local list = {}
	for item in text:gmatch("[^,%s]+") do
		local addr, plen = item:match("^([^/]+)/(%d+)$")
		if not addr then addr, plen = item, nil end
		local ba = parse_v4(addr) or parse_v6(addr)
		plen = tonumber(plen or (ba and ba:len() * 8))
		if not ba or plen > ba:len() * 8 then
			return nil, "not a group prefix: " .. item
		end
		list[#list + 1] = { ba = ba, plen = plen }
	end
	return list
end

local function in_groups(ba)
	for _, p in ipairs(group_prefixes) do
		if p.ba:len() == ba:len() then
			local bits, i, match = p.plen, 0, true
			while bits > 0 and match do
				local mask = bits >= 8 and 0xff or (0x100 - 2 ^ (8 - bits))
				local a, b = ba:get_index(i), p.ba:get_index(i)
				-- a & mask == b & mask, without bit operations
				if math.floor(a / (0x100 - mask)) ~= math.floor(b / (0x100 - mask)) then
					match = false
				end
				bits, i = bits - 8, i + 1
			end
			if match then return true end
		end
	end
	return false
end

-- Why the header at the start of tvb is not a valid GEM header, or nil.
local function header_problem(tvb)
	local len = tvb:reported_length_remaining()
	if len < 1 then return "no GEM header" end
	if tvb:len() < math.min(len, GEM_HDR_LEN) then return nil end	-- the snap length
	local b = tvb:range(0, 1):uint()
	if math.floor(b / 16) ~= GEM_VERSION then
		return "version " .. math.floor(b / 16) .. ", not " .. GEM_VERSION
	end
	if b % 16 ~= 0 then return "flags set: " .. b % 16 end
	if len < GEM_HDR_LEN then
		return "header truncated: " .. len .. " of " .. GEM_HDR_LEN .. " bytes"
	end
	if tvb:range(2, 4):uint() == 0xffffffff and tvb:range(6, 4):uint() == 0xffffffff then
		return "packet number 2^64 - 1 is never valid"
	end
	if len < GEM_OVERHEAD then
		return "payload of " .. len .. " bytes, shorter than the " .. GEM_OVERHEAD ..
			" of header and tags"
	end
	return nil
end

function gem.dissector(tvb, pinfo, tree)
	local len = tvb:reported_length_remaining()
	pinfo.cols.protocol = "GEM"
	local t = len > 0 and tvb:len() > 0 and tree:add(gem, tvb:range()) or tree:add(gem)
	local problem = header_problem(tvb)
	local have = tvb:len()	-- what was captured, which a snap length cuts

	if have >= 1 then
		t:add(f.version, tvb:range(0, 1))
		t:add(f.flags, tvb:range(0, 1))
	end
	if have >= 2 then t:add(f.key_id, tvb:range(1, 1)) end
	local pn
	if have >= GEM_HDR_LEN then
		pn = tvb:range(2, 8):uint64()
		t:add(f.pn, tvb:range(2, 8))
		local secs = pn / UInt64(1000000000)
		local ns = pn - secs * UInt64(1000000000)
		t:add(f.pn_time, tvb:range(2, 8), NSTime(secs:tonumber(), ns:tonumber()))
			:set_generated()
	end
	local _, dst = ip_dst()
	if dst then t:add(f.group, dst):set_generated() end
	if len >= GEM_OVERHEAD then
		local n = len - GEM_OVERHEAD
		t:add(f.text_len, n):set_generated()
		if n > 0 and have >= GEM_HDR_LEN + n then
			t:add(f.ciphertext, tvb:range(GEM_HDR_LEN, n))
		end
		if have >= len then
			t:add(f.aead_tag, tvb:range(GEM_HDR_LEN + n, GEM_AEAD_TAG_LEN))
			t:add(f.gak_tag, tvb:range(len - GEM_GAK_TAG_LEN, GEM_GAK_TAG_LEN))
		end
	end
	if problem then
		t:add_proto_expert_info(ef_malformed, problem)
		pinfo.cols.info = "GEM malformed: " .. problem
	elseif not pn then
		t:add_proto_expert_info(ef_short, "the capture's snap length cut the header")
		pinfo.cols.info = "GEM (header not captured)"
	else
		t:append_text(string.format(", key id %d, pn %s", tvb:range(1, 1):uint(),
					    tostring(pn)))
		pinfo.cols.info = string.format("GEM key %d pn %s len %d",
			tvb:range(1, 1):uint(), tostring(pn), len - GEM_OVERHEAD)
	end
	return len
end

-- UDP's heuristic: a valid GEM header, a packet number that is a time of
-- day, to a multicast group; or anything to a group the preference names.
local function heuristic(tvb, pinfo, tree)
	local ba = ip_dst()
	if not ba then return false end
	local listed = #group_prefixes > 0 and in_groups(ba)
	if not listed then
		if not is_multicast(ba) or tvb:len() < GEM_HDR_LEN or header_problem(tvb) then
			return false
		end
		local hi = tvb:range(2, 4):uint()
		if hi < PN_HI_MIN or hi >= PN_HI_MAX then return false end
	end
	gem.dissector(tvb, pinfo, tree)
	return true
end
gem:register_heuristic("udp", heuristic)

local udp_table = DissectorTable.get("udp.port")
local gem_ports = nil

function gem.prefs_changed()
	if gem_ports then udp_table:remove(gem_ports, gem) end
	gem_ports = tostring(gem.prefs.udp_ports)
	if gem_ports ~= "" then udp_table:add(gem_ports, gem) else gem_ports = nil end
	local list, err = parse_groups(gem.prefs.groups)
	if not list then
		report_failure("gem.groups: " .. err)
		list = {}
	end
	group_prefixes = list
end

------------------------------------------------------------------------
-- GEM's Babel TLVs
------------------------------------------------------------------------

local TLV_FRAGMENT = 224
local TLV_REQUEST = 225
local FRAG_HDR_LEN = 22
local FRAG_CHUNK_MAX = 255 - FRAG_HDR_LEN
local ITEM_HDR_LEN = 20
local ITEM_MAX_LEN = 512

local kinds = {
	[1] = "Public Key",
	[2] = "Source Active",
	[3] = "Subscription",
	[4] = "SEK Announce",
}
local tlv_names = {
	[0] = "Pad1", [1] = "PadN", [2] = "Acknowledgment Request",
	[3] = "Acknowledgment", [4] = "Hello", [5] = "IHU", [6] = "Router-Id",
	[7] = "Next Hop", [8] = "Update", [9] = "Route Request",
	[10] = "Seqno Request", [11] = "TS/PC", [12] = "HMAC", [16] = "MAC",
	[17] = "PC", [18] = "Challenge Request", [19] = "Challenge Reply",
	[TLV_FRAGMENT] = "GEM Fragment", [TLV_REQUEST] = "GEM Request",
}

local gb = Proto("gembabel", "GEM items in Babel")
local g = {
	tlv = ProtoField.uint8("gembabel.tlv", "TLV type", base.DEC, tlv_names),
	tlv_len = ProtoField.uint8("gembabel.tlv.len", "TLV length", base.DEC),
	frag_kind = ProtoField.uint8("gembabel.frag.kind", "Item kind", base.DEC, kinds),
	frag_index = ProtoField.uint8("gembabel.frag.index", "Fragment index", base.DEC,
				      nil, 0xf0),
	frag_count = ProtoField.uint8("gembabel.frag.count", "Fragment count", base.DEC,
				      nil, 0x0f),
	frag_origin = ProtoField.bytes("gembabel.frag.origin", "Origin", base.COLON),
	frag_seqno = ProtoField.uint64("gembabel.frag.seqno", "Sequence number", base.DEC),
	frag_tag = ProtoField.uint32("gembabel.frag.tag", "Tag", base.HEX),
	frag_chunk = ProtoField.bytes("gembabel.frag.chunk", "Chunk"),
	item = ProtoField.bytes("gembabel.item", "Item"),
	kind = ProtoField.uint8("gembabel.item.kind", "Kind", base.DEC, kinds),
	version = ProtoField.uint8("gembabel.item.version", "Version", base.DEC),
	origin = ProtoField.bytes("gembabel.item.origin", "Origin", base.COLON),
	seqno = ProtoField.uint64("gembabel.item.seqno", "Sequence number", base.DEC),
	seqno_time = ProtoField.absolute_time("gembabel.item.seqno_time",
					      "Sequence number as time", base.UTC),
	lifetime = ProtoField.uint16("gembabel.item.lifetime", "Lifetime (s)", base.DEC),
	pubkey = ProtoField.bytes("gembabel.item.public_key", "Ed25519 public key"),
	family = ProtoField.uint8("gembabel.item.family", "Address family", base.DEC),
	source = ProtoField.ipv4("gembabel.item.source", "Source"),
	group = ProtoField.ipv4("gembabel.item.group", "Group"),
	source6 = ProtoField.ipv6("gembabel.item.source6", "Source"),
	group6 = ProtoField.ipv6("gembabel.item.group6", "Group"),
	plen = ProtoField.uint8("gembabel.item.prefix_len", "Prefix length", base.DEC),
	n_keys = ProtoField.uint8("gembabel.item.keys", "Key count", base.DEC),
	sek_key_id = ProtoField.uint8("gembabel.item.key_id", "Key id", base.DEC),
	sek_nonce = ProtoField.bytes("gembabel.item.nonce", "Nonce"),
	sek_wrapped = ProtoField.bytes("gembabel.item.wrapped_key", "Wrapped key"),
	mac = ProtoField.bytes("gembabel.item.mac", "Group MAC"),
	sig = ProtoField.bytes("gembabel.item.signature", "Ed25519 signature"),
	req_all = ProtoField.bool("gembabel.req.all", "Every item"),
	req_kind = ProtoField.uint8("gembabel.req.kind", "Item kind", base.DEC, kinds),
	req_origin = ProtoField.bytes("gembabel.req.origin", "Origin", base.COLON),
	req_tag = ProtoField.uint32("gembabel.req.tag", "Tag", base.HEX),
}
gb.fields = {}
for _, v in pairs(g) do gb.fields[#gb.fields + 1] = v end

local ef_gb_malformed = ProtoExpert.new("gembabel.malformed", "Malformed GEM TLV",
					expert.group.MALFORMED, expert.severity.ERROR)
local ef_gb_partial = ProtoExpert.new("gembabel.partial",
	"Fragment of an item whose other fragments are in other packets",
	expert.group.REASSEMBLE, expert.severity.NOTE)
gb.experts = { ef_gb_malformed, ef_gb_partial }

local function seqno_time(r)
	local ms = r:uint64()
	local secs = ms / UInt64(1000)
	return NSTime(secs:tonumber(), (ms - secs * UInt64(1000)):tonumber() * 1000000)
end

-- An address: family (4 or 6) and 4 or 16 bytes. Returns the new offset,
-- the family, or nil and why.
local function item_addr(tvb, t, off, v4field, v6field)
	if tvb:len() < off + 1 then return nil, "truncated before an address" end
	local fam = tvb:range(off, 1):uint()
	local alen = fam == 4 and 4 or fam == 6 and 16 or nil
	if not alen then return nil, "address family " .. fam .. ", neither 4 nor 6" end
	t:add(g.family, tvb:range(off, 1))
	if tvb:len() < off + 1 + alen then return nil, "truncated address" end
	t:add(fam == 4 and v4field or v6field, tvb:range(off + 1, alen))
	return off + 1 + alen, fam
end

-- Decodes a whole item in tvb into t; nil, or why it is malformed.
local function dissect_item(tvb, t)
	local len = tvb:len()
	if len < ITEM_HDR_LEN then return "item shorter than its header" end
	local kind = tvb:range(0, 1):uint()
	t:add(g.kind, tvb:range(0, 1))
	t:add(g.version, tvb:range(1, 1))
	t:add(g.origin, tvb:range(2, 8))
	t:add(g.seqno, tvb:range(10, 8))
	t:add(g.seqno_time, tvb:range(10, 8), seqno_time(tvb:range(10, 8))):set_generated()
	t:add(g.lifetime, tvb:range(18, 2))
	t:append_text(": " .. (kinds[kind] or ("kind " .. kind)))
	if tvb:range(1, 1):uint() ~= 1 then
		return "item version " .. tvb:range(1, 1):uint() .. ", not 1"
	end
	local off, fam, why = ITEM_HDR_LEN, nil, nil
	if kind == 1 then
		if len < off + 32 then return "truncated public key" end
		t:add(g.pubkey, tvb:range(off, 32))
		off = off + 32
	elseif kind == 2 or kind == 4 then
		off, fam = item_addr(tvb, t, off, g.source, g.source6)
		if not off then return fam end
		local fam2
		off, fam2 = item_addr(tvb, t, off, g.group, g.group6)
		if not off then return fam2 end
		if fam2 ~= fam then return "source and group of two families" end
		if kind == 4 then
			if len < off + 1 then return "truncated before the key count" end
			local n = tvb:range(off, 1):uint()
			t:add(g.n_keys, tvb:range(off, 1))
			if n < 1 or n > 2 then return "key count " .. n .. ", not 1 or 2" end
			off = off + 1
			for _ = 1, n do
				if len < off + 73 then return "truncated stream key" end
				t:add(g.sek_key_id, tvb:range(off, 1))
				t:add(g.sek_nonce, tvb:range(off + 1, 24))
				t:add(g.sek_wrapped, tvb:range(off + 25, 48))
				off = off + 73
			end
		end
	elseif kind == 3 then
		off, fam = item_addr(tvb, t, off, g.group, g.group6)
		if not off then return fam end
		if len < off + 1 then return "truncated before the prefix length" end
		t:add(g.plen, tvb:range(off, 1))
		if tvb:range(off, 1):uint() > (fam == 4 and 32 or 128) then
			return "prefix length too long"
		end
		off = off + 1
	else
		return "unknown item kind " .. kind
	end
	if kind ~= 1 then
		if len < off + 32 then return "truncated group MAC" end
		t:add(g.mac, tvb:range(off, 32))
		off = off + 32
	end
	if len < off + 64 then return "truncated signature" end
	t:add(g.sig, tvb:range(off, 64))
	off = off + 64
	if off ~= len then return (len - off) .. " bytes after the signature" end
	return why
end

-- One GEM Fragment TLV body. Fragments of one item in one packet are
-- joined and the item decoded; pending holds those still incomplete.
local function dissect_fragment(body, t, pinfo, pending)
	local blen = body and body:len() or 0
	if blen < FRAG_HDR_LEN + 1 then
		return "fragment of " .. blen .. " bytes, the header alone is " .. FRAG_HDR_LEN
	end
	local kind = body:range(0, 1):uint()
	local ic = body:range(1, 1):uint()
	local index, count = math.floor(ic / 16), ic % 16
	t:add(g.frag_kind, body:range(0, 1))
	t:add(g.frag_index, body:range(1, 1))
	t:add(g.frag_count, body:range(1, 1))
	t:add(g.frag_origin, body:range(2, 8))
	t:add(g.frag_seqno, body:range(10, 8))
	t:add(g.frag_tag, body:range(18, 4))
	local chunk = body:range(FRAG_HDR_LEN)
	t:add(g.frag_chunk, chunk)
	t:append_text(string.format(": %s, fragment %d of %d",
		kinds[kind] or ("kind " .. kind), index + 1, count))
	if count == 0 or count > 3 or index >= count then
		return "fragment index " .. index .. " or count " .. count .. " out of range"
	end
	local clen = blen - FRAG_HDR_LEN
	if index < count - 1 and clen ~= FRAG_CHUNK_MAX then
		return "a fragment before the last is not full"
	end
	if index * FRAG_CHUNK_MAX + clen > ITEM_MAX_LEN then
		return "item longer than " .. ITEM_MAX_LEN .. " bytes"
	end
	local item
	if count == 1 then
		item = chunk:tvb("GEM item")
	else
		local key = tostring(body:range(0, 1):bytes()) .. tostring(body:range(2, 20):bytes())
			.. count
		local p = pending[key] or { n = 0, chunks = {} }
		pending[key] = p
		if not p.chunks[index] then
			p.chunks[index] = chunk:bytes()
			p.n = p.n + 1
		end
		if p.n < count then
			t:add_proto_expert_info(ef_gb_partial, string.format(
				"fragment %d of %d; the item is decoded once all are in this packet",
				index + 1, count))
			return nil
		end
		local all = ByteArray.new()
		for i = 0, count - 1 do all:append(p.chunks[i]) end
		pending[key] = nil
		item = all:tvb("Reassembled GEM item")
	end
	local it = t:add(g.item, item:range())
	local why = dissect_item(item, it)
	if why then return why end
	if item:range(0, 1):uint() ~= kind
		or tostring(item:range(2, 16):bytes()) ~= tostring(body:range(2, 16):bytes()) then
		return "fragment header disagrees with the item it carries"
	end
	return nil
end

local function dissect_request(body, t)
	local blen = body and body:len() or 0
	if blen == 0 then
		t:add(g.req_all, true):set_generated()
		t:append_text(": every item")
		return nil
	end
	if blen ~= 9 and blen ~= 13 then
		return "request of " .. blen .. " bytes, neither 0, 9 nor 13"
	end
	local kind = body:range(0, 1):uint()
	t:add(g.req_kind, body:range(0, 1))
	t:add(g.req_origin, body:range(1, 8))
	if blen == 13 then t:add(g.req_tag, body:range(9, 4)) end
	t:append_text(": " .. (kinds[kind] or ("kind " .. kind)) .. (blen == 13 and ", one item" or ""))
	if kind < 1 or kind > 4 then return "request for unknown item kind " .. kind end
	return nil
end

-- Wireshark's own Babel dissector decodes the standard TLVs and shows
-- 224 and 225 as unknown; this one runs it, then adds GEM's TLVs. (Its
-- TLVs have no dissector table a plugin could register in.) Wireshark
-- 4.0 registers it by port only, not by name: it is taken from the port
-- before this one replaces it.
local babel_handle = udp_table:get_dissector(6696)
if babel_handle == nil then
	local ok, h = pcall(Dissector.get, "babel")
	babel_handle = ok and h or nil
end

function gb.dissector(tvb, pinfo, tree)
	local n = 0
	if babel_handle then
		local ok, r = pcall(function() return babel_handle:call(tvb, pinfo, tree) end)
		if ok then n = r end
	end
	local len = tvb:len()
	if len < 4 or tvb:range(0, 1):uint() ~= 42 or tvb:range(1, 1):uint() ~= 2 then
		return n
	end
	local body_end = 4 + tvb:range(2, 2):uint()
	if body_end > len then body_end = len end
	local t, off, pending = nil, 4, {}
	while off < body_end do
		local ty = tvb:range(off, 1):uint()
		if ty == 0 then
			off = off + 1
		else
			if off + 2 > body_end then break end	-- babel's to report
			local tl = tvb:range(off + 1, 1):uint()
			local tend = off + 2 + tl
			if ty == TLV_FRAGMENT or ty == TLV_REQUEST then
				t = t or tree:add(gb, tvb:range(4, body_end - 4))
				local tt = t:add(tvb:range(off, tend <= body_end and 2 + tl or body_end - off),
						 tlv_names[ty])
				tt:add(g.tlv, tvb:range(off, 1))
				tt:add(g.tlv_len, tvb:range(off + 1, 1))
				local why
				if tend > body_end then
					why = "TLV length " .. tl .. " runs past the packet body"
				else
					local body = tl > 0 and tvb:range(off + 2, tl):tvb() or nil
					if ty == TLV_FRAGMENT then
						why = dissect_fragment(body, tt, pinfo, pending)
					else
						why = dissect_request(body, tt)
					end
				end
				if why then tt:add_proto_expert_info(ef_gb_malformed, why) end
			end
			off = tend
		end
	end
	if t then pinfo.cols.protocol = "Babel/GEM" end
	return n > 0 and n or len
end

gb.prefs.udp_port = Pref.uint("Babel UDP port", 6696,
	"The UDP port of Babel, whose packets this dissector reads for GEM's TLVs")
local gb_port = nil

local function gb_apply_prefs()
	if gb_port then udp_table:remove(gb_port, gb) end
	gb_port = gb.prefs.udp_port
	udp_table:add(gb_port, gb)
end
gb.prefs_changed = gb_apply_prefs
gb_apply_prefs()
