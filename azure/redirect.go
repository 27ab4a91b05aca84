package azure

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/sas"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/service"
)

const (
	// redirectExpiry is how long a SAS URL stays valid.
	redirectExpiry = 20 * time.Minute
	// udkLifetime is how long a requested user delegation key is valid
	// (at most 7 days); it is renewed when less than redirectExpiry is left.
	udkLifetime = 24 * time.Hour
)

type userDelegationKey struct {
	cred    *service.UserDelegationCredential
	expires time.Time
}

// RedirectURL implements driver.StorageDriver: a read-only SAS URL valid for
// 20 minutes, for GET and HEAD requests, signed with the account key or,
// with token credentials, with a user delegation key.
func (d *Driver) RedirectURL(r *http.Request, path string) (string, error) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return "", nil
	}
	b := d.blob(d.key(path))
	now := time.Now().UTC()
	v := sas.BlobSignatureValues{
		StartTime:     now.Add(-5 * time.Minute), // clock skew
		ExpiryTime:    now.Add(redirectExpiry),
		Permissions:   (&sas.BlobPermissions{Read: true}).String(),
		ContainerName: d.containerName,
		BlobName:      d.key(path),
	}
	if strings.HasPrefix(b.URL(), "https://") {
		v.Protocol = sas.ProtocolHTTPS
	}
	var qp sas.QueryParameters
	var err error
	if d.sharedKey != nil {
		qp, err = v.SignWithSharedKey(d.sharedKey)
	} else {
		var udc *service.UserDelegationCredential
		udc, err = d.userDelegation(r.Context(), now)
		if err == nil {
			qp, err = v.SignWithUserDelegation(udc)
		}
	}
	if err != nil {
		return "", err
	}
	return b.URL() + "?" + qp.Encode(), nil
}

func (d *Driver) userDelegation(ctx context.Context, now time.Time) (*service.UserDelegationCredential, error) {
	d.udkMu.Lock()
	defer d.udkMu.Unlock()
	if d.udk != nil && d.udk.expires.Sub(now) > 2*redirectExpiry {
		return d.udk.cred, nil
	}
	expires := now.Add(udkLifetime)
	start := now.Add(-5 * time.Minute).Format(sas.TimeFormat)
	end := expires.Format(sas.TimeFormat)
	cred, err := d.service.GetUserDelegationCredential(ctx, service.KeyInfo{Start: &start, Expiry: &end}, nil)
	if err != nil {
		return nil, err
	}
	d.udk = &userDelegationKey{cred: cred, expires: expires}
	return cred, nil
}
