module github.com/tandemhq/tandem/client/tandem

go 1.22
