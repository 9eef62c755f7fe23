# (b) director a: kernel master daemon sending to port 8849 (only relays take it), the lvsha relay;
#     director b: kernel backup daemon on 8848, the lvsha relay injecting there. A client flow through a's
#     virtual services must show up on b's kernel as synced connections.
set -e
cd /share
. ./lab.sh
role=$1
if [ "$role" = a ]; then me=192.0.2.1; else me=192.0.2.2; fi
ip link set eth0 up; ip addr add $me/24 dev eth0; ip route add 224.0.0.0/4 dev eth0
lab_up 203.0.113
if [ "$role" = a ]; then
  ipvsadm --start-daemon master --mcast-interface eth0 --syncid 9 --mcast-port 8849
else
  ipvsadm --start-daemon backup --mcast-interface eth0 --syncid 9
fi
ipvsadm -L --daemon
jvm org.lvsha.sync.kernel.relay.KernelRelayGuestMain relay eth0 $me 9 /share $role 220 &
jpid=$!
wait_for 150 test -f $role.ready
echo "$role: relay ready ($(cat $role.ready))"
if [ "$role" = a ]; then
  wait_for 150 test -f b.ready
  # under emulation a join can end in a singleton that MERGE3 heals later: flows only once both relays are one group
  wait_for 120 grep -q 'members=2 ' a.stats || echo 'a: relays not in one group yet'
  ip netns exec r python3 flows.py server 60 &
  spid=$!
  sleep 0.5
  ip netns exec c python3 flows.py client 203.0.113.1 40 &
  cpid=$!
  date +%s.%N > flows.started
  wait_for 100 test -f b.done || true
  # control: with b's relay gone, a flow a's kernel master syncs (a's capture sees the datagram) must not reach b
  wait_for 60 test -f b.relay-stopped || true
  captured() { grep -o 'captured=[0-9]*' a.stats; }
  c0=$(captured)
  ip netns exec c python3 flows.py udp 203.0.113.1 40002
  changed() { [ "$(captured)" != "$c0" ]; }
  wait_for 30 changed || echo 'a: control flow not captured'
  touch a.control-sent
  ipvsadm -Lnc > a-lnc.txt
  kill $cpid $spid 2>/dev/null || true
else
  on_b() { ipvsadm -Lnc | grep -q '203.0.113.2:40000' && ipvsadm -Lnc | grep -q '203.0.113.2:40001.*198.51.100.2:5001'; }
  wait_for 100 on_b || echo 'b: connections not seen'
  echo "b: connections seen $(echo "$(date +%s.%N) - $(cat flows.started)" | bc) s after the flows started"
  ipvsadm -Lnc > b-lnc.txt
  cat /proc/net/ip_vs_conn_sync > b-sync.txt
  touch b.done b.stop
  wait $jpid
  touch b.relay-stopped
  wait_for 90 test -f a.control-sent || true
  sleep 4 # the kernel master sends within 2 s (IPVS_SYNC_FLUSH_TIME), and the capture saw it already
  ipvsadm -Lnc > b-control.txt
  cat b.stats
  exit 0
fi
touch $role.stop
wait $jpid
cat $role.stats
