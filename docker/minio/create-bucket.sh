#!/bin/sh
# One-shot job (service minio-init, image minio/mc): creates Docket's bucket and
# a MinIO user that can reach that bucket only, so Docket never holds the MinIO
# root credentials.  Idempotent: safe on every `docker compose up`.
#
# Object locking can only be switched on when a bucket is created: decide
# DOCKET_S3_OBJECT_LOCK before the first start (docs/stack.md, "Archive").
set -eu

: "${MINIO_ROOT_USER:?}" "${MINIO_ROOT_PASSWORD:?}"
: "${DOCKET_S3_BUCKET:?}" "${DOCKET_S3_ACCESS_KEY:?}" "${DOCKET_S3_SECRET_KEY:?}"

is_true() {
    case "$(printf '%s' "${1:-}" | tr '[:upper:]' '[:lower:]')" in
        true | 1 | yes | on) return 0 ;;
        *) return 1 ;;
    esac
}

mc alias set docket "${MINIO_URL:-http://minio:9000}" "${MINIO_ROOT_USER}" "${MINIO_ROOT_PASSWORD}"

if is_true "${DOCKET_S3_OBJECT_LOCK:-false}"; then
    mc mb --ignore-existing --with-lock "docket/${DOCKET_S3_BUCKET}"
else
    mc mb --ignore-existing "docket/${DOCKET_S3_BUCKET}"
fi
if is_true "${DOCKET_S3_VERSIONING:-false}"; then
    mc version enable "docket/${DOCKET_S3_BUCKET}"
fi

if [ "${DOCKET_S3_ACCESS_KEY}" = "${MINIO_ROOT_USER}" ]; then
    echo "Docket uses the MinIO root user; no separate user created"
    exit 0
fi

policy_file="$(mktemp)"
cat >"${policy_file}" <<POLICY
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["s3:*"],
      "Resource": [
        "arn:aws:s3:::${DOCKET_S3_BUCKET}",
        "arn:aws:s3:::${DOCKET_S3_BUCKET}/*"
      ]
    }
  ]
}
POLICY
mc admin policy create docket docket-bucket "${policy_file}"
# `user add` on an existing user resets its secret: .env stays the truth.
mc admin user add docket "${DOCKET_S3_ACCESS_KEY}" "${DOCKET_S3_SECRET_KEY}"
# Attaching an already attached policy is an error; the state is what we want.
mc admin policy attach docket docket-bucket --user "${DOCKET_S3_ACCESS_KEY}" \
    || echo "policy docket-bucket already attached to ${DOCKET_S3_ACCESS_KEY}"
echo "bucket ${DOCKET_S3_BUCKET} and user ${DOCKET_S3_ACCESS_KEY} ready"
