#!/usr/bin/env bash
# Regenerates the checked-in generated documents from the code: docs/configuration.md (the options classes) and
# docs/openapi/v1.json (the document the silo serves at /openapi/v1.json). Their tests fail until these are current.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build tests/IntegrationTests -v q
NOTIFY_UPDATE_DOCS=1 dotnet test tests/IntegrationTests --no-build \
  --filter "FullyQualifiedName~ConfigurationReferenceTests|FullyQualifiedName~OpenApiDocumentTests"
git status --short docs/
