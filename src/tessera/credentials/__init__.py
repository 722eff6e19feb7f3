"""Open Badges 3.0 / Verifiable Credentials engine: pure modules, no database, no web.

contexts/       bundled JSON-LD contexts and the URL -> file map (nothing fetched)
jsonld/         strict JSON-LD 1.1 expansion, JSON-LD -> RDF, RDFC-1.0
canonical       rdfc() N-Quads and jcs() (RFC 8785)
multibase, multikey, keys, didkey
                key encodings, the Signer protocol, did:key / did:web resolution
dataintegrity   DataIntegrityProof eddsa-rdfc-2022 / eddsa-jcs-2022 (+ legacy verify)
jwt             VC-JWT (EdDSA, ES256)
baking          PNG / SVG bake and extract
schemas/        bundled OB 3.0 / CLR 2.0 JSON Schemas
verifier        verify(anything) -> VerificationReport
compose         compose_achievement_credential(...) for a micro-credential
"""
