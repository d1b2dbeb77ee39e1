package tenants

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"golang.org/x/sync/singleflight"
	"gorm.io/gorm"

	"github.com/tandemhq/tandem/internal/reqinfo"
	"github.com/tandemhq/tandem/models"
)

// API key kinds (models owns the list) and the prefixes that show them.
const (
	KindSecret      = models.APIKeySecret
	KindPublishable = models.APIKeyPublishable
)

var keyPrefix = map[string]string{KindSecret: "sk_", KindPublishable: "pk_"}

// ErrInvalidKey covers every way a presented key can fail: malformed,
// unknown, revoked or wrong. Callers cannot tell which, on purpose.
var ErrInvalidKey = errors.New("invalid api key")

var keyEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// A key is prefix + 16 lookup characters + 32 secret characters, all
// lowercase base32: sk_<lookup><secret>.
const (
	lookupLen = 16
	secretLen = 32
)

// Key is a verified API key. A publishable key's origins are not read
// here: the widget, the one surface that will accept such keys, checks
// them itself.
type Key struct {
	ID       string
	TenantID uuid.UUID
	Kind     string
}

// NewKey creates an API key of kind for the current tenant and returns it
// in full: it is shown once and stored only as an argon2id hash.
func NewKey(ctx context.Context, kind, name string, allowedOrigins []string) (id, key string, err error) {
	prefix, ok := keyPrefix[kind]
	if !ok {
		return "", "", fmt.Errorf("new key: unknown kind %q", kind)
	}
	raw := make([]byte, 30) // 48 base32 characters
	if _, err := rand.Read(raw); err != nil {
		return "", "", fmt.Errorf("new key: %w", err)
	}
	body := strings.ToLower(keyEncoding.EncodeToString(raw))
	key = prefix + body
	hash, err := HashSecret(key)
	if err != nil {
		return "", "", err
	}
	if allowedOrigins == nil {
		allowedOrigins = []string{}
	}
	id, err = models.InsertAPIKey(ctx, kind, name, body[:lookupLen], hash, allowedOrigins)
	if err != nil {
		return "", "", fmt.Errorf("new key: %w", err)
	}
	return id, key, nil
}

// Verifier checks presented API keys. argon2id is slow by design, so a
// verified key is remembered, by its SHA-256, for a short while: a revoked
// key stops working within that time on every web machine, and so do the
// keys of an account whose deletion is scheduled (or undone: they work
// again).
type Verifier struct {
	db  *gorm.DB
	ttl time.Duration

	mu       sync.Mutex
	cache    map[[32]byte]cachedKey
	inflight singleflight.Group
	hashing  chan struct{}
	hashed   atomic.Int64 // argon2id checks run, for Hashed
}

// maxHashing bounds the argon2id checks running at once (19 MiB each), so
// a burst of unknown keys cannot grow memory without bound.
const maxHashing = 2

type cachedKey struct {
	key     Key
	expires time.Time
	// closing: the key's account is scheduled for deletion, so the key is
	// refused (models.ErrAccountDeletionScheduled) while this entry lasts.
	closing bool
}

// NewVerifier returns a Verifier that remembers verified keys for ttl.
func NewVerifier(db *gorm.DB, ttl time.Duration) *Verifier {
	return &Verifier{db: db, ttl: ttl, cache: map[[32]byte]cachedKey{}, hashing: make(chan struct{}, maxHashing)}
}

// Verify returns the key that presented matches, or ErrInvalidKey.
func (v *Verifier) Verify(ctx context.Context, presented string) (Key, error) {
	return v.VerifyAdmitted(ctx, presented, nil)
}

// VerifyAdmitted is Verify with a door before the costly part: when
// presented is well formed but not in the cache, so that checking it needs
// an argon2id hash, admitHash (if not nil) is called first, and its error
// is returned as is, with nothing looked up or hashed. A malformed key is
// refused and a cached one accepted without calling it. The API limits
// such checks per client address with it.
func (v *Verifier) VerifyAdmitted(ctx context.Context, presented string, admitHash func() error) (Key, error) {
	kind := ""
	for k, p := range keyPrefix {
		if strings.HasPrefix(presented, p) {
			kind = k
		}
	}
	body := strings.TrimPrefix(strings.TrimPrefix(presented, "sk_"), "pk_")
	if kind == "" || len(body) != lookupLen+secretLen || strings.Trim(body, "abcdefghijklmnopqrstuvwxyz234567") != "" {
		return Key{}, ErrInvalidKey
	}
	digest := sha256.Sum256([]byte(presented))
	now := time.Now()
	v.mu.Lock()
	cached, ok := v.cache[digest]
	v.mu.Unlock()
	if ok && now.Before(cached.expires) {
		reqinfo.SetTenant(ctx, cached.key.TenantID) // for the access log
		if cached.closing {
			return Key{}, models.ErrAccountDeletionScheduled
		}
		return cached.key, nil
	}
	if admitHash != nil {
		if err := admitHash(); err != nil {
			return Key{}, err
		}
	}
	// Concurrent requests with the same uncached key share one check: argon2id
	// takes 19 MiB and tens of milliseconds, which a burst would multiply.
	res, err, _ := v.inflight.Do(string(digest[:]), func() (any, error) {
		key, err := v.verifyUncached(ctx, presented, kind, body, digest)
		if err == nil {
			v.touch(ctx, key) // once per miss, outside the hashing slots
		}
		return key, err
	})
	if err != nil {
		return Key{}, err
	}
	reqinfo.SetTenant(ctx, res.(Key).TenantID)
	return res.(Key), nil
}

// verifyUncached looks the key up and checks it with argon2id, at most
// maxHashing at a time on this machine, and caches a match.
func (v *Verifier) verifyUncached(ctx context.Context, presented, kind, body string, digest [32]byte) (Key, error) {
	select {
	case v.hashing <- struct{}{}:
		defer func() { <-v.hashing }()
	case <-ctx.Done():
		return Key{}, ctx.Err()
	}
	now := time.Now()
	var rows []struct {
		TenantID      uuid.UUID
		KeyID         string
		Kind          string
		SecretHash    string
		DeletionDueAt *time.Time
	}
	err := v.db.WithContext(ctx).Raw(`SELECT tenant_id, key_id, kind, secret_hash, deletion_due_at FROM find_api_key(?)`,
		body[:lookupLen]).Scan(&rows).Error
	if err != nil {
		return Key{}, fmt.Errorf("verify key: %w", err)
	}
	for _, r := range rows {
		v.hashed.Add(1)
		match, err := CheckSecret(presented, r.SecretHash)
		if err != nil {
			return Key{}, fmt.Errorf("verify key %s: %w", r.KeyID, err)
		}
		if match && r.Kind == kind {
			key := Key{ID: r.KeyID, TenantID: r.TenantID, Kind: r.Kind}
			closing := r.DeletionDueAt != nil
			v.mu.Lock()
			v.cache[digest] = cachedKey{key: key, expires: now.Add(v.ttl), closing: closing}
			v.mu.Unlock()
			if closing {
				return Key{}, models.ErrAccountDeletionScheduled
			}
			return key, nil
		}
	}
	if len(rows) == 0 {
		// Spend the same time as a real check so that timing does not tell
		// unknown lookups from wrong secrets.
		v.hashed.Add(1)
		_, _ = CheckSecret(presented, dummyHash)
	}
	return Key{}, ErrInvalidKey
}

// touch records that key was used (api_keys.last_used_at). It runs only on
// a cache miss, so a key's cached requests cost nothing more, and
// models.TouchAPIKey writes at most once a minute per key. A failure is
// logged, never a refusal: the key is valid all the same.
func (v *Verifier) touch(ctx context.Context, key Key) {
	if models.InTx(ctx) {
		return // a caller already inside a tenant transaction; not the request path
	}
	err := WithTenant(ctx, v.db, key.TenantID, func(ctx context.Context) error {
		return models.TouchAPIKey(ctx, key.ID)
	})
	if err != nil {
		slog.Warn("tenants: record api key use", "key", key.ID, "err", err)
	}
}

// Hashed is how many argon2id checks v has run since it was made: the
// measure of what presented keys have cost, for metrics and tests.
func (v *Verifier) Hashed() int64 { return v.hashed.Load() }

// Forget drops a key from the cache, for the machine that revoked it.
func (v *Verifier) Forget(keyID string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	for digest, c := range v.cache {
		if c.key.ID == keyID {
			delete(v.cache, digest)
		}
	}
}

// dummyHash has the production parameters; nothing matches it.
var dummyHash = func() string {
	h, err := HashSecret("tandem: no key has this value")
	if err != nil {
		panic(err)
	}
	return h
}()
