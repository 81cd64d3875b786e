# shellcheck shell=bash
# A test PKI made with the system's openssl, for the guest TLS tests and benchmarks (tests/tls).
# Sourced from the runfiles tree like netns_tap.sh:
#   . tests/lib/test_pki.sh
#   pki_root DIR NAME SUBJECT KEY
#       a self-signed CA, DIR/NAME.pem and DIR/NAME.key, valid for PKI_ROOT_DAYS
#   pki_leaf DIR NAME SUBJECT HOST CA KEY [START END]
#       a server certificate for HOST (subjectAltName, serverAuth) signed by DIR/CA, as
#       DIR/NAME.pem and DIR/NAME.key; valid from an hour ago (the guest's clock is the host's,
#       read once at boot) for PKI_LEAF_DAYS, or exactly from START to END (YYYYMMDDHHMMSSZ: past
#       and future dates too, which only `openssl ca` sets)
# SUBJECT is openssl's form ("/O=Org/CN=name"), KEY rsa (RSA-2048) or ec (P-256). openssl's
# messages go to DIR/openssl.log; a function returns non-zero if openssl fails.

PKI_ROOT_DAYS=30
PKI_LEAF_DAYS=7

# pki_newkey KEY: `openssl req -newkey` arguments for KEY.
pki_newkey() {
  case $1 in
    rsa) echo "rsa:2048" ;;
    ec) echo "ec -pkeyopt ec_paramgen_curve:P-256" ;;
    *)
      echo "test_pki: unknown key type $1" >&2
      return 1
      ;;
  esac
}

pki_root() {
  local dir=$1 name=$2 subject=$3 key
  key=$(pki_newkey "$4") || return 1
  # shellcheck disable=SC2086  # $key is several arguments
  openssl req -x509 -newkey $key -nodes -keyout "$dir/$name.key" -out "$dir/$name.pem" \
    -days "$PKI_ROOT_DAYS" -subj "$subject" -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" 2>>"$dir/openssl.log"
}

pki_leaf() {
  local dir=$1 name=$2 subject=$3 host=$4 ca=$5 key
  key=$(pki_newkey "$6") || return 1
  local start=${7:-$(date -u -d '-1 hour' +%Y%m%d%H%M%SZ)}
  local end=${8:-$(date -u -d "+$PKI_LEAF_DAYS days" +%Y%m%d%H%M%SZ)}
  local db="$dir/db_$name"
  mkdir -p "$db" || return 1
  : >"$db/index.txt"
  openssl rand -hex 8 >"$db/serial" || return 1
  cat >"$db/ca.cnf" <<CNF
[ca]
default_ca = c
[c]
dir = $db
database = \$dir/index.txt
new_certs_dir = \$dir
serial = \$dir/serial
default_md = sha256
policy = p
copy_extensions = none
x509_extensions = ext
unique_subject = no
[p]
organizationName = optional
commonName = supplied
[ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:$host
CNF
  # shellcheck disable=SC2086  # $key is several arguments
  openssl req -newkey $key -nodes -keyout "$dir/$name.key" -out "$db/req.csr" -subj "$subject" \
    2>>"$dir/openssl.log" &&
    openssl ca -batch -config "$db/ca.cnf" -cert "$dir/$ca.pem" -keyfile "$dir/$ca.key" \
      -in "$db/req.csr" -out "$dir/$name.pem" -startdate "$start" -enddate "$end" -notext \
      2>>"$dir/openssl.log"
}
