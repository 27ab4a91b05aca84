// Package configmap decodes storage parameters, as found under a provider's
// key in a registry configuration, into a typed and validated struct, and
// loads that configuration from the forms registries and operators use.
//
// # Declaring parameters
//
// An adapter declares its parameters once, as a struct with tags:
//
//	type Params struct {
//		Bucket    string         `param:"bucket" required:"true" desc:"Bucket that holds the data."`
//		ChunkSize configmap.Size `param:"chunksize" default:"10MiB" min:"5MiB" max:"5GiB" desc:"Multipart part size."`
//		Class     string         `param:"storageclass" default:"STANDARD" enum:"NONE,STANDARD,REDUCED_REDUNDANCY" desc:"Storage class."`
//		SecretKey string         `param:"secretkey" secret:"true" desc:"Secret access key."`
//	}
//
// Tags: param (the name, lower case), default, required, enum (comma
// separated, matched without regard to case and stored in the declared
// spelling), min and max (numbers, sizes and durations), secret (never
// printed) and desc (one line for the docs). A field whose type is a struct
// with param tags is a nested section, such as Azure's credentials.
//
// Decode accepts what YAML, environment variables and Helm produce: bools as
// true or "true", numbers as int, float or string, sizes as a number of bytes
// or a string such as "10MiB", durations as strings such as "20m", lists as
// YAML lists or comma-separated strings. An unknown key, a bad value, a
// missing required parameter: every problem is reported at once, each naming
// the parameter and what was expected, with secrets redacted.
//
// # Loading configurations
//
// Load reads any of these forms and picks the provider by its key:
//
//   - the reference registry's file: storage: {s3: {...}} with
//     REGISTRY_STORAGE_S3_<PARAM> environment overrides and
//     middleware: {storage: [{name: cloudfront, options: {...}}]};
//   - an operator's values: registry: {storage: {backend: s3, s3: {...}}},
//     also under spec: in a custom resource;
//   - Helm-style keys: registry.storage.s3.bucket=... (ParseSet).
package configmap
