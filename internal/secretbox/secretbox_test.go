package secretbox

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestSealOpen(t *testing.T) {
	key := bytes.Repeat([]byte{7}, KeySize)
	box, err := New(key)
	if err != nil {
		t.Fatal(err)
	}
	sealed := box.Seal([]byte("whsec_abc"), []byte("tenant-1"))
	if bytes.Contains(sealed, []byte("whsec_abc")) {
		t.Fatal("the plaintext shows in the ciphertext")
	}
	if again := box.Seal([]byte("whsec_abc"), []byte("tenant-1")); bytes.Equal(again, sealed) {
		t.Fatal("two seals of one secret are equal: the nonce is not fresh")
	}
	plain, err := box.Open(sealed, []byte("tenant-1"))
	if err != nil || string(plain) != "whsec_abc" {
		t.Fatalf("Open = %q, %v", plain, err)
	}
	if _, err := box.Open(sealed, []byte("tenant-2")); err != ErrDecrypt {
		t.Errorf("another context opened it: %v", err)
	}
	tampered := bytes.Clone(sealed)
	tampered[len(tampered)-1] ^= 1
	if _, err := box.Open(tampered, []byte("tenant-1")); err != ErrDecrypt {
		t.Errorf("an altered ciphertext opened: %v", err)
	}
	other, _ := New(bytes.Repeat([]byte{8}, KeySize))
	if _, err := other.Open(sealed, []byte("tenant-1")); err != ErrDecrypt {
		t.Errorf("another key opened it: %v", err)
	}
	if _, err := box.Open([]byte("short"), nil); err != ErrDecrypt {
		t.Errorf("a short ciphertext: %v", err)
	}
}

func TestParseKey(t *testing.T) {
	for _, s := range []string{
		"0707070707070707070707070707070707070707070707070707070707070707",
		"BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=",
		"BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc\n",
	} {
		key, err := ParseKey(s)
		if err != nil || !bytes.Equal(key, bytes.Repeat([]byte{7}, KeySize)) {
			t.Errorf("ParseKey(%q) = %x, %v", s, key, err)
		}
	}
	for _, s := range []string{"", "short", "BwcHBwcH", "zz07070707070707070707070707070707070707070707070707070707070707"} {
		if _, err := ParseKey(s); err == nil {
			t.Errorf("ParseKey(%q) accepted", s)
		}
	}
}

func TestLoadOrCreateKeyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "encryption-key")
	first, err := LoadOrCreateKeyFile(path)
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", info.Mode().Perm())
	}
	second, err := LoadOrCreateKeyFile(path)
	if err != nil || !bytes.Equal(first, second) {
		t.Fatalf("the second start read another key: %x vs %x, %v", first, second, err)
	}
}

func FuzzParseKey(f *testing.F) {
	f.Add("BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=")
	f.Add("0707070707070707070707070707070707070707070707070707070707070707")
	f.Fuzz(func(t *testing.T, s string) {
		key, err := ParseKey(s)
		if err == nil && len(key) != KeySize {
			t.Fatalf("ParseKey(%q) = %d bytes", s, len(key))
		}
	})
}
