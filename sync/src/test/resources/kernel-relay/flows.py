# Traffic for the kernel relay tests (runs inside a kernel-vm guest, in network namespaces it made).
#   server SECONDS              : in the real server's namespace: UDP echo on 5000, TCP echo on 5001
#   client VIP SECONDS          : in the client's namespace: one UDP flow (5 datagrams, source port 40000) and one
#                                 TCP connection (source port 40001, 4 exchanges) held open SECONDS
#   udp VIP SPORT               : one more UDP flow (5 datagrams from SPORT to VIP:5000), no waiting for replies
# Bounded in time; a lost echo is tolerated (the director's sync sees the client's packets either way).
import socket, sys, threading, time

mode, rest = sys.argv[1], sys.argv[2:]
if mode == "server":
    end = time.time() + float(rest[0])
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("0.0.0.0", 5000)); u.settimeout(0.5)
    t = socket.socket(socket.AF_INET, socket.SOCK_STREAM); t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    t.bind(("0.0.0.0", 5001)); t.listen(8); t.settimeout(0.5)
    def tcp():
        while time.time() < end:
            try:
                c, _ = t.accept()
            except socket.timeout:
                continue
            c.settimeout(0.5)
            def echo(c=c):
                while time.time() < end:
                    try:
                        d = c.recv(100)
                    except socket.timeout:
                        continue
                    if not d:
                        break
                    c.sendall(d)
            threading.Thread(target=echo, daemon=True).start()
    threading.Thread(target=tcp, daemon=True).start()
    while time.time() < end:
        try:
            d, a = u.recvfrom(100)
            u.sendto(d, a)
        except socket.timeout:
            pass
elif mode == "udp":
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("0.0.0.0", int(rest[1])))
    for i in range(5):
        u.sendto(b"control %d" % i, (rest[0], 5000))
        time.sleep(0.05)
else:
    vip, hold = rest[0], float(rest[1])
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("0.0.0.0", 40000)); u.settimeout(0.3)
    for i in range(5):
        u.sendto(b"ping %d" % i, (vip, 5000))
        try:
            u.recvfrom(100)
        except socket.timeout:
            pass
    t = socket.socket(socket.AF_INET, socket.SOCK_STREAM); t.bind(("0.0.0.0", 40001)); t.settimeout(3)
    t.connect((vip, 5001))
    for i in range(4):
        t.sendall(b"hello %d\n" % i)
        try:
            t.recv(100)
        except socket.timeout:
            pass
    print("client: flows sent", flush=True)
    time.sleep(hold)
    t.close()
