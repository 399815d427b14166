#!/bin/sh
# Prints the commands for a round trip through the gateway that `make run`
# starts with the development PKI in STATE.
STATE=${1:-state}
PORT=${2:-8443}
BIN=build/gateway/ijw-gateway
M="--cacert $STATE/ca.pem --cert $STATE/0384.pem --key $STATE/0384.key"
P="--cacert $STATE/ca.pem --cert $STATE/42420001.pem --key $STATE/42420001.key"
U="https://localhost:$PORT/v1/berichten"
cat <<EOT

ijw-gateway serves on https://localhost:$PORT for municipality 0384 and provider
42420001, with the development PKI and configuration in $STATE/. From another
terminal, in this folder:

  # the municipality posts a JW301 (toewijzing) to the provider
  curl $M -H 'Content-Type: application/xml' --data-binary @samples/JW301-valid-1.xml $U

  # the provider lists its inbox, fetches the message byte for byte, and acknowledges it
  curl $P $U
  curl $P -o jw301.xml $U/1
  curl $P -X POST $U/1/ack

  # the provider answers itself (retour = relay): it makes the JW302 for the
  # JW301 it fetched and posts it; the JW302 waits in the municipality's inbox
  $BIN generate JW302 --from jw301.xml -o jw302.xml
  curl $P -H 'Content-Type: application/xml' --data-binary @jw302.xml $U
  curl $M $U
  curl $M $U/2

  # a message that breaks a rule is answered 422 with its findings
  curl $M -H 'Content-Type: application/xml' --data-binary @samples/JW301-TR002-invalid.xml $U

Ctrl-C stops the gateway; 'make run' again resumes with the same store.

EOT
