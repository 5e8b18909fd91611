#!/usr/bin/env bash
# OpenLineage over HTTPS: a test CA and a server certificate for 127.0.0.1 are made here with
# openssl, a libmicrohttpd TLS server (http_sink.c) serves them, and sluice.yaml names the CA as
# lineage.openlineage.ca_file. The START and COMPLETE events arrive. A server whose certificate
# another CA signed (and the system's CAs, which do not know the test CA) are refused: a warning
# that says TLS and ca_file, with no secret of the URL in it, and no event arrives; the load
# commits anyway. A CA file that is not there is named.
#
# env: SLUICE (binary).
set -euo pipefail

bin=${SLUICE:?SLUICE must name the sluice binary}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
cd "$tmp"
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
# shellcheck disable=SC2046
cc -O1 -Wall -Werror -o sink "$here/http_sink.c" $(pkg-config --cflags --libs libmicrohttpd) ||
    fail "cannot build the test server"

# a CA, a server certificate it signs (SAN 127.0.0.1 and localhost), and an unrelated CA
ca() { # NAME
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.pem" -days 2 \
        -subj "/CN=sluice test $1" -addext basicConstraints=critical,CA:TRUE \
        -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
}
ca ca
ca other
openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj /CN=127.0.0.1 \
    2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >ext.cnf
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
    -extfile ext.cnf -out server.pem 2>/dev/null || fail "cannot sign the server certificate"

rm -f port got
./sink port got 200 server.pem server.key &
pid=$!
for _ in $(seq 100); do [ -s port ] && break; sleep 0.05; done
[ -s port ] || fail "the test server did not start"
port=$(cat port)

printf 'id,v\n1,a\n2,b\n' >in.csv
conf() { # CA_FILE_LINE
    printf 'store: sqlite:t.db\nlineage:\n  openlineage:\n    url: https://ann:hunter2@127.0.0.1:%s/api/v1/lineage?api_key=S3CRETKEY\n%s' \
        "$port" "$1" >sluice.yaml
}

# 1. the test CA: both events arrive over TLS
mkdir -p certs && cp ca.pem certs/
conf '    ca_file: certs/ca.pem
'
"$bin" load in.csv --source s --primary-key id >out 2>&1 || fail "load: $(cat out)"
grep -q warning out && fail "a warning over https: $(cat out)"
[ "$(wc -l <got)" = 2 ] || fail "expected 2 events, got: $(cat got)"
grep -q '^POST /api/v1/lineage?api_key=S3CRETKEY	{"eventType":"START",' got || fail "no START: $(cat got)"
grep -q '^POST /api/v1/lineage?api_key=S3CRETKEY	{"eventType":"COMPLETE",.*"load":1,"status":"committed"' got ||
    fail "no COMPLETE: $(cat got)"

# 2. another CA: refused, said clearly, no secret shown, nothing sent, the load commits
check_refused() { # WHAT
    grep -q "load [0-9]* committed" out || fail "$1: the load did not commit: $(cat out)"
    grep -q "warning: openlineage: https://ann:\*\*\*@127.0.0.1:$port/api/v1/lineage?api_key=\*\*\*: TLS: .*certificate" out ||
        fail "$1: no clear warning: $(cat out)"
    grep -q "ca_file" out || fail "$1: the warning does not name ca_file: $(cat out)"
    if grep -E 'hunter2|S3CRETKEY' out; then fail "$1: a secret in the output"; fi
    [ "$(grep -c retrying out)" = 0 ] || fail "$1: a TLS failure was retried: $(cat out)"
    [ "$(wc -l <got)" = 2 ] || fail "$1: an event arrived: $(cat got)"
}
conf '    ca_file: other.pem
'
printf 'id,v\n3,c\n' >in2.csv
"$bin" load in2.csv --source s --primary-key id >out 2>&1 || fail "load with the wrong CA: $(cat out)"
check_refused "the wrong CA"

# 3. no ca_file: the system's CAs do not know the test CA
conf ''
printf 'id,v\n4,d\n' >in3.csv
"$bin" load in3.csv --source s --primary-key id >out 2>&1 || fail "load without ca_file: $(cat out)"
check_refused "the system CAs"

# 4. a CA file that is not there
conf '    ca_file: nope.pem
'
printf 'id,v\n5,e\n' >in4.csv
"$bin" load in4.csv --source s --primary-key id >out 2>&1 || fail "load with no CA file: $(cat out)"
grep -q "warning: openlineage: ca_file ./nope.pem: No such file or directory" out ||
    grep -q "warning: openlineage: ca_file nope.pem: No such file or directory" out ||
    fail "a missing CA file: $(cat out)"
[ "$(wc -l <got)" = 2 ] || fail "an event arrived without a CA file: $(cat got)"
echo ok
