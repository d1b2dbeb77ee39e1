# The one binary in a small image. Needs DATABASE_URL (owner, for
# `tandem migrate`) and APP_DATABASE_URL (restricted role, for serving).
#
# The base images are named by tag. To pin them, resolve each tag to its
# digest where a registry can be reached, and append it, e.g.
#   docker buildx imagetools inspect golang:1.26-bookworm --format '{{json .Manifest.Digest}}'
#   FROM golang:1.26-bookworm@sha256:<digest> AS build
# (or `crane digest <image>`), then renew the digests with each Go release.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# VERSION is stamped into `tandem version` and /healthz (fly deploy
# --build-arg VERSION=$(git describe --tags --always)); without it the
# binary reports the module version and commit Go recorded.
ARG VERSION=""
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w -X main.version=${VERSION}" -o /out/tandem ./cmd/tandem

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/tandem /usr/local/bin/tandem
ENV PORT=8080
EXPOSE 8080
USER nonroot
# Fly.io runs fly.toml's release_command (and any `fly machine run`
# command) as arguments of this entrypoint: `migrate`, not `tandem migrate`
# (cmd/tandem/deploy_test.go runs exactly that).
ENTRYPOINT ["/usr/local/bin/tandem"]
CMD ["serve"]
