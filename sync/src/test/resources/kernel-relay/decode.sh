# (a) a real kernel master's datagrams, captured as they leave the sync interface, decode to the
# connections ipvsadm -Lnc lists.
set -e
cd /share
. ./lab.sh
lab_up 192.0.2
ipvsadm --start-daemon master --mcast-interface vc --syncid 9
t0=$(date +%s.%N)
jvm org.lvsha.sync.kernel.relay.KernelRelayGuestMain decode vc 8848 9 /share/decoded.txt 90 &
jpid=$!
wait_for 60 test -f decoded.txt.capturing
echo "capture up after $(echo "$(date +%s.%N) - $t0" | bc) s"
ip netns exec r python3 flows.py server 40 &
spid=$!
sleep 0.5
ip netns exec c python3 flows.py client 192.0.2.1 15 &
cpid=$!
has_both() { grep -q '^17 .*:5000 ' decoded.txt && grep -q '^6 .*:5001 .*state=1 ' decoded.txt; }
wait_for 30 has_both || echo 'decode: not both flows decoded'
ipvsadm -Lnc > lnc.txt
echo "decoded after $(echo "$(date +%s.%N) - $t0" | bc) s"
touch decoded.txt.stop
kill $cpid $spid 2>/dev/null || true
wait $jpid
echo '--- decoded'; cat decoded.txt
echo '--- ipvsadm -Lnc'; cat lnc.txt
