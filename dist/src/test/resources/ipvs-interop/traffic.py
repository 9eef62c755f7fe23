# One burst of client flows through IPVS's LOCAL_OUT hook (the guest is its own client): every connection entry
# is created within a few milliseconds, so their expiry countdowns (whole seconds in /proc/net/ip_vs_conn) tick
# over together and an ipvsadm/lvsha pair of -Lnc listings usually falls between two ticks. The SYNs go to
# real servers behind a dummy interface and are never answered; the sockets are closed before the first SYN
# retransmission (1 s) would refresh the entries' timers.
import socket
import time

# 192.0.2.55 and 2001:db8::66 are marked 5 and 6 by an nftables output rule: the fwmark services
tcp = [("192.0.2.10", 80)] * 3 + [("192.0.2.10", 443), ("2001:db8::80", 80), ("192.0.2.55", 80), ("2001:db8::66", 80)]
udp = [("192.0.2.53", 53), ("192.0.2.53", 53), ("192.0.2.54", 5060), ("2001:db8::53", 53)]
sockets = []
for host, port in tcp:
    s = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    s.setblocking(False)
    s.connect_ex((host, port))
    sockets.append(s)
for host, port in udp:
    s = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_DGRAM)
    s.sendto(b"query", (host, port))
    sockets.append(s)
time.sleep(0.3)
for s in sockets:
    s.close()
