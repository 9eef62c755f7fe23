# Sourced by the guest scripts: a client namespace and a real-server namespace around this guest's IPVS
# (NAT): the client's subnet is $1/24 with the director at .1 (also the VIP) and the client at .2; the real
# server is 198.51.100.2 behind the director's 198.51.100.1. Services: UDP VIP:5000 and TCP VIP:5001.
lab_up() {
  local net=$1
  ip netns add c; ip netns add r
  ip link add vc type veth peer name vc1 netns c
  ip link add vr type veth peer name vr1 netns r
  ip addr add $net.1/24 dev vc; ip link set vc up
  ip -n c link set lo up; ip -n c addr add $net.2/24 dev vc1; ip -n c link set vc1 up
  ip addr add 198.51.100.1/24 dev vr; ip link set vr up
  ip -n r link set lo up; ip -n r addr add 198.51.100.2/24 dev vr1; ip -n r link set vr1 up
  ip -n r route add default via 198.51.100.1
  sysctl -qw net.ipv4.ip_forward=1
  ipvsadm -A -u $net.1:5000 -s rr && ipvsadm -a -u $net.1:5000 -r 198.51.100.2:5000 -m
  ipvsadm -A -t $net.1:5001 -s rr && ipvsadm -a -t $net.1:5001 -r 198.51.100.2:5001 -m
}
# wait_for SECONDS COMMAND...: polls every 0.2 s; fails after SECONDS
wait_for() {
  local n=$(( $1 * 5 )); shift
  for _ in $(seq 1 $n); do "$@" && return 0; sleep 0.2; done
  echo "timed out waiting for: $*" >&2; return 1
}
jvm() { "$JAVA" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx256m -Djava.net.preferIPv4Stack=true -cp "$CP" "$@"; }
