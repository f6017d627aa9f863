#!/usr/bin/env bash
# Installs the Debian packages the test suite drives for real: Chromium (browser tests), slapd
# (LDAP login), dovecot (IMAP intake), Alertmanager (monitoring webhook), the LDAP/SASL headers python-ldap compiles against,
# gettext (compilemessages), openssl (the 5651 tests' local RFC 3161 time-stamping authority), rsyslog (the 5651
# collection test), fusioninventory-agent (the inventory agent reporting this machine end to end), tesseract with its
# Turkish data and poppler-utils (the text recognition of scanned documents), Pango with HarfBuzz's subsetter (WeasyPrint,
# the outgoing documents' PDF/A). Does nothing when they are already there.
set -euo pipefail
needed=()
command -v chromium >/dev/null 2>&1 || needed+=(chromium)
[ -x /usr/sbin/slapd ] || needed+=(slapd ldap-utils)
[ -x /usr/sbin/dovecot ] || needed+=(dovecot-imapd)
[ -x /usr/bin/prometheus-alertmanager ] || needed+=(prometheus-alertmanager)
[ -f /usr/include/ldap.h ] || needed+=(libldap2-dev)
[ -f /usr/include/sasl/sasl.h ] || needed+=(libsasl2-dev)
command -v msgfmt >/dev/null 2>&1 || needed+=(gettext)
command -v openssl >/dev/null 2>&1 || needed+=(openssl)
[ -x /usr/sbin/rsyslogd ] || needed+=(rsyslog)
command -v fusioninventory-agent >/dev/null 2>&1 || needed+=(fusioninventory-agent)
tesseract --list-langs 2>/dev/null | grep -qx tur || needed+=(tesseract-ocr tesseract-ocr-tur)
command -v pdftoppm >/dev/null 2>&1 || needed+=(poppler-utils)
libs=$(/sbin/ldconfig -p)
for lib in libpango-1.0.so.0 libpangoft2-1.0.so.0 libharfbuzz-subset.so.0 libfontconfig.so.1; do
  grep -qF "$lib" <<<"$libs" || { needed+=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig); break; }
done
if [ ${#needed[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing system packages: ${needed[*]} (run as root or: sudo apt-get install ${needed[*]})" >&2
  exit 1
fi
echo "Installing system packages: ${needed[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${needed[@]}" >/dev/null
