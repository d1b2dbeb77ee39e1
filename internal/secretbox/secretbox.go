// Package secretbox encrypts small secrets at rest (webhook signing secrets,
// later payment integration keys) with AES-256-GCM under one key of the
// deployment. It is a leaf: it knows nothing of Tandem's data.
package secretbox

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// KeySize is the key's length in bytes (AES-256).
const KeySize = 32

// ErrDecrypt is returned for a ciphertext that was not sealed by this key
// for this context, or was altered.
var ErrDecrypt = errors.New("secrets: cannot decrypt: wrong key, wrong context or altered")

// Box seals and opens secrets under one key. It is safe for concurrent use.
type Box struct {
	aead cipher.AEAD
}

// New returns a Box for a KeySize-byte key.
func New(key []byte) (*Box, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("secrets: the key is %d bytes, want %d", len(key), KeySize)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("secrets: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("secrets: %w", err)
	}
	return &Box{aead: aead}, nil
}

// ParseKey reads a key written as 64 hex digits or as base64 (standard or
// URL alphabet, padded or not) of KeySize bytes, as `openssl rand -base64
// 32` prints one.
func ParseKey(s string) ([]byte, error) {
	s = string(bytes.TrimSpace([]byte(s)))
	if len(s) == 2*KeySize {
		if key, err := hex.DecodeString(s); err == nil {
			return key, nil
		}
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if key, err := enc.DecodeString(s); err == nil && len(key) == KeySize {
			return key, nil
		}
	}
	return nil, fmt.Errorf("secrets: the key must be %d bytes, as 64 hex digits or base64", KeySize)
}

// LoadOrCreateKeyFile reads the key kept in path, or draws one and writes it
// there (mode 0600, its directory created 0700) the first time: the key of
// a local installation that was given none.
func LoadOrCreateKeyFile(path string) ([]byte, error) {
	if b, err := os.ReadFile(path); err == nil {
		return ParseKey(string(b))
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("secrets: key file: %w", err)
	}
	key := make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("secrets: draw key: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("secrets: key file: %w", err)
	}
	// O_EXCL: two processes starting together keep the first key written.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("secrets: key file: %w", err)
		}
		return ParseKey(string(b))
	}
	if err != nil {
		return nil, fmt.Errorf("secrets: key file: %w", err)
	}
	_, err = f.WriteString(base64.StdEncoding.EncodeToString(key) + "\n")
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("secrets: key file: %w", err)
	}
	return key, nil
}

// Seal encrypts plaintext bound to context (for instance the tenant that
// owns it), which Open must be given again: a ciphertext copied to another
// tenant's row does not open there. The result is nonce then ciphertext.
func (b *Box) Seal(plaintext, context []byte) []byte {
	nonce := make([]byte, b.aead.NonceSize(), b.aead.NonceSize()+len(plaintext)+b.aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		panic("secrets: crypto/rand failed: " + err.Error()) // crypto/rand does not fail on supported platforms
	}
	return b.aead.Seal(nonce, nonce, plaintext, context)
}

// Open decrypts what Seal returned for the same context.
func (b *Box) Open(sealed, context []byte) ([]byte, error) {
	n := b.aead.NonceSize()
	if len(sealed) < n+b.aead.Overhead() {
		return nil, ErrDecrypt
	}
	plain, err := b.aead.Open(nil, sealed[:n], sealed[n:], context)
	if err != nil {
		return nil, ErrDecrypt
	}
	return plain, nil
}
