#!/bin/bash
# One-shot job (service elasticsearch-init, Elasticsearch image for its curl):
# creates a role limited to Docket's indices and the user Docket logs in with,
# so the `elastic` superuser password stays with the administrator.
# Idempotent: PUT creates or updates, so .env stays the truth.
#
# Passwords travel inside JSON here: keep them to letters, digits and - _ . ~
set -euo pipefail

: "${ELASTIC_PASSWORD:?}" "${DOCKET_ES_USERNAME:?}" "${DOCKET_ES_PASSWORD:?}" "${DOCKET_ES_INDEX:?}"
es_url="${ELASTICSEARCH_URL:-http://elasticsearch:9200}"

if [[ ${DOCKET_ES_USERNAME} == "elastic" ]]; then
    echo "Docket uses the elastic superuser; no separate user created"
    exit 0
fi

es_put() {
    curl --silent --show-error --fail-with-body \
        --user "elastic:${ELASTIC_PASSWORD}" \
        --header "Content-Type: application/json" \
        --request PUT "${es_url}$1" --data "$2"
    echo
}

# Everything on its own indices (an index, its aliases and versioned copies
# share the prefix); on the cluster, index templates only (Docket installs its
# own; it reads no cluster state: its analysis needs no plugin to be probed).
es_put "/_security/role/docket_writer" "{
  \"cluster\": [\"manage_index_templates\"],
  \"indices\": [{\"names\": [\"${DOCKET_ES_INDEX}*\"], \"privileges\": [\"all\"]}]
}"
es_put "/_security/user/${DOCKET_ES_USERNAME}" "{
  \"password\": \"${DOCKET_ES_PASSWORD}\",
  \"roles\": [\"docket_writer\"],
  \"full_name\": \"Docket ingest and search\"
}"
echo "role docket_writer and user ${DOCKET_ES_USERNAME} ready"
