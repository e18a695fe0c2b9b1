#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The events group reports devices added and deleted, in the namespace
# they belong to only.
. "$(dirname "$0")/lib.sh"
require_gem

n1=$(ns_new a)
n2=$(ns_new b)
out1=/tmp/$test_name-$$-1
out2=/tmp/$test_name-$$-2
on_exit "rm -f $out1 $out2 $out1.err $out2.err"

for ns in "$n1" "$n2"; do
	must "veth" ip -n "$ns" link add veth0 type veth peer name veth1
done

gemctl_in "$n1" monitor -c 2 >"$out1" 2>"$out1.err" &
m1=$!
gemctl_in "$n2" -j monitor -c 1 >"$out2" 2>"$out2.err" &
m2=$!
on_exit "kill $m1 $m2"
for f in "$out1.err" "$out2.err"; do
	for _ in $(seq 50); do
		grep -q monitoring "$f" 2>/dev/null && break
		sleep 0.1
	done
	grep -q monitoring "$f" || fail "monitor did not start: $(cat "$f")"
done

must "gem in b" ip -n "$n2" link add gemb link veth0 type gem
must "gem in a" ip -n "$n1" link add gema link veth0 type gem
must "delete in a" ip -n "$n1" link del gema

# Configuration changes are echoed to listeners too, without keys.
tmp_new
(umask 077; "$GEMCTL" genkey >"$tmp/k")
gemctl_in "$n2" monitor >"$tmp/m3" 2>"$tmp/m3.err" &
m3=$!
on_exit "kill $m3"
for _ in $(seq 50); do grep -q monitoring "$tmp/m3.err" 2>/dev/null && break; sleep 0.1; done
must "gem for config" ip -n "$n2" link add gemc link veth1 type gem
must "group set while monitored" gemctl_in "$n2" group gemc set 239.1.0.0/16 key "$tmp/k"
must "group del while monitored" gemctl_in "$n2" group gemc del 239.1.0.0/16
must "tx set while monitored" gemctl_in "$n2" tx gemc set 192.0.2.1 239.1.2.3 id 1 key "$tmp/k"
must "rx set while monitored" gemctl_in "$n2" rx gemc set 192.0.2.1 239.1.2.3 id 1 key "$tmp/k"
must "rx del while monitored" gemctl_in "$n2" rx gemc del 192.0.2.1 239.1.2.3 id 1
must "tx flush while monitored" gemctl_in "$n2" tx gemc flush
must "delete gemc" ip -n "$n2" link del gemc
sleep 0.5
kill $m3
equal "monitor across config changes" "$(cat "$tmp/m3")" "add dev gemc underlay veth1
group-set dev gemc 239.1.0.0/16
group-del dev gemc 239.1.0.0/16
tx-set dev gemc 192.0.2.1 -> 239.1.2.3 key 1
rx-set dev gemc 192.0.2.1 -> 239.1.2.3 key 1
rx-del dev gemc 192.0.2.1 -> 239.1.2.3 key 1
tx-del dev gemc all
del dev gemc underlay veth1"
grep -q "$(cat "$tmp/k")" "$tmp/m3" && fail "a key was in an event"

timeout 10 tail --pid=$m1 -f /dev/null || fail "monitor in a did not see 2 events"
timeout 10 tail --pid=$m2 -f /dev/null || fail "monitor in b did not see 1 event"
equal "events in a" "$(cat "$out1")" "add dev gema underlay veth0
del dev gema underlay veth0"
equal "event in b" "$(jq -r '[.event, .dev.ifname, .dev.underlay.ifname] | join(" ")' "$out2")" \
	"add gemb veth0"

exit $KSFT_PASS
