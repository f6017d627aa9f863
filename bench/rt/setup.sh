#!/bin/sh
# Request Tracker 5 beside BİYS for the bench's comparison (bench/README.md, "Request Tracker
# side by side"). Debian 12, as root, PostgreSQL on 127.0.0.1:5432 with trust auth for postgres.
#
#   sh bench/rt/setup.sh [SIZE]        # SIZE tickets (default 200000)
#
# Installs Debian's request-tracker5 and starman, (re)creates the database rt5, serves RT with
# Starman (2 workers, like BİYS's gunicorn) on 127.0.0.1:$RT_PORT, switches the autoreply scrip
# off, creates a technician who is not a superuser and a REST2 token for them, loads SIZE tickets
# (bench/rt/load.py) and prints the BENCH_RT_* variables the bench reads. Re-running starts
# from an empty database. Stop the server with: kill "$(cat /run/rt-bench.pid)"
# Not part of the test suite or CI.
set -eu
SIZE=${1:-200000}
RT_PORT=${RT_PORT:-8085}
PG=${RT_PG:-postgresql://postgres@127.0.0.1:5432}
PYTHON=${PYTHON:-/work/main/.venv/bin/python}
HERE=$(cd "$(dirname "$0")" && pwd)
URL="http://127.0.0.1:$RT_PORT"
USER_NAME=teknisyen
PASSWORD=bench-pass

if ! dpkg -s request-tracker5 rt5-db-postgresql starman >/dev/null 2>&1; then
    # No dbconfig-common: the database is set up below with rt-setup-database-5.
    debconf-set-selections <<EOF
request-tracker5 request-tracker5/dbconfig-install boolean false
request-tracker5 request-tracker5/dbconfig-upgrade boolean false
EOF
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        request-tracker5 rt5-db-postgresql starman
fi

cat > /etc/request-tracker5/RT_SiteConfig.d/90-bench.pm <<EOF
Set(\$DatabaseType, 'Pg');
Set(\$DatabaseHost, '127.0.0.1');
Set(\$DatabasePort, '5432');
Set(\$DatabaseName, 'rt5');
Set(\$DatabaseUser, 'rt_user');
Set(\$DatabasePassword, 'rt_pass');
Set(\$DatabaseAdmin, 'postgres');
Set(\$WebPath, '');
Set(\$WebDomain, '127.0.0.1');
Set(\$WebPort, $RT_PORT);
Set(\$WebBaseURL, '$URL');
Set(\$MailCommand, 'testfile');
Set(\$LogToSyslog, undef);
Set(\$LogToSTDERR, 'error');
1;
EOF

if [ -f /run/rt-bench.pid ]; then
    kill "$(cat /run/rt-bench.pid)" 2>/dev/null || true
    sleep 2
    rm -f /run/rt-bench.pid
fi
psql "$PG/postgres" -qc 'DROP DATABASE IF EXISTS rt5'
cd /tmp
yes '' | rt-setup-database-5 --action init --dba postgres --prompt-for-dba-password

# Starman: a preforking server, 2 workers as BİYS's gunicorn has.
setsid /usr/share/request-tracker5/libexec/rt-server --server Starman --host 127.0.0.1 \
    --port "$RT_PORT" --workers 2 >/var/log/rt-bench.log 2>&1 &
echo $! >/run/rt-bench.pid
for _ in $(seq 60); do
    curl -sf -o /dev/null "$URL/NoAuth/Login.html" && break
    sleep 1
done

TOKEN=$(perl "$HERE/prepare.pl" "$USER_NAME" "$PASSWORD" 2>/dev/null | tail -1)
OWNER=$(psql "$PG/rt5" -tAc "SELECT id FROM Users WHERE Name = '$USER_NAME'")
# A signed-in session (the login form's POST, as a browser sends it) for the HTML pages, the
# REST2 reads (RT accepts its session cookie there, as BİYS's API accepts its own) and the load.
COOKIE=$(curl -s -o /dev/null -D - --data-urlencode "user=$USER_NAME" \
    --data-urlencode "pass=$PASSWORD" "$URL/NoAuth/Login.html" |
    sed -n 's/^Set-Cookie: \(RT_SID_[^;]*\).*/\1/p' | tail -1)
"$PYTHON" "$HERE/load.py" --url "$URL" --cookie "$COOKIE" --dsn "$PG/rt5" --size "$SIZE" \
    --owner "$OWNER"
# The newest open ticket, as BİYS's detail page takes its newest ticket in progress.
TICKET=$(psql "$PG/rt5" -tAc "SELECT max(id) FROM Tickets WHERE Status = 'open'")
curl -s -b "$COOKIE" "$URL/" | grep -q 'current-user">teknisyen' ||
    { echo "the login did not give a signed-in session" >&2; exit 1; }

echo
echo "export BENCH_RT_URL=$URL BENCH_RT_TOKEN=$TOKEN BENCH_RT_TICKET=$TICKET"
echo "export BENCH_RT_COOKIE='$COOKIE'"
