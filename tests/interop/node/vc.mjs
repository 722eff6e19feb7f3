// Reference implementation side of Tessera's interop tests and benchmark.
//
//   node vc.mjs sign   < {credentials: [...], seedHex, created}      -> {signed: [...]}
//   node vc.mjs verify < {credentials: [...], now, controllers?}       -> {results: [...]}
//   node vc.mjs bench  < {credential, seedHex, seconds}               -> {sign_ops, verify_ops}
//   node vc.mjs canonize < {documents: [...]}                         -> {nquads: [...]}
//
// Contexts come from Tessera's bundled files (TESSERA_CONTEXTS_DIR + TESSERA_CONTEXT_MAP) and
// did:key documents are built locally, did:web ones are handed in (`controllers`): nothing is
// fetched from the network.
import fs from 'node:fs';
import path from 'node:path';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022CryptoSuite} from
  '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import jsonld from 'jsonld';

const contextsDir = process.env.TESSERA_CONTEXTS_DIR;
const contextMap = JSON.parse(fs.readFileSync(process.env.TESSERA_CONTEXT_MAP, 'utf8'));
const contexts = new Map();
for(const [url, file] of Object.entries(contextMap)) {
  contexts.set(url, JSON.parse(fs.readFileSync(path.join(contextsDir, file), 'utf8')));
}

function didKeyDocument(did) {
  const multibase = did.slice('did:key:'.length);
  const id = `${did}#${multibase}`;
  return {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
    id,
    verificationMethod: [{id, type: 'Multikey', controller: did, publicKeyMultibase: multibase}],
    assertionMethod: [id],
    authentication: [id]
  };
}

// Controller documents handed in by the test (did:web issuers), keyed by DID.
const controllers = new Map();

function fromController(url) {
  const [did, fragment] = url.split('#');
  const doc = controllers.get(did);
  if(!fragment) {
    return {contextUrl: null, documentUrl: url, document: doc};
  }
  const method = doc.verificationMethod.find(m => m.id === url);
  if(!method) {
    throw new Error(`${url} is not in the controller document of ${did}`);
  }
  return {
    contextUrl: null, documentUrl: url,
    document: {'@context': 'https://w3id.org/security/multikey/v1', ...method}
  };
}

async function documentLoader(url) {
  if(controllers.has(url.split('#')[0])) {
    return fromController(url);
  }
  if(contexts.has(url)) {
    // tag 'static' lets jsonld.js cache the processed context, as the Digital Bazaar loaders
    // (jsonld-document-loader, security-document-loader) do; without it every call reprocesses.
    return {contextUrl: null, documentUrl: url, document: contexts.get(url), tag: 'static'};
  }
  if(url.startsWith('did:key:')) {
    const [did, fragment] = url.split('#');
    const doc = didKeyDocument(did);
    doc.id = did;
    if(fragment) {
      const method = {...doc.verificationMethod[0]};
      method['@context'] = 'https://w3id.org/security/multikey/v1';
      return {contextUrl: null, documentUrl: url, document: method};
    }
    return {contextUrl: null, documentUrl: url, document: doc};
  }
  throw new Error(`offline document loader: unknown URL ${url}`);
}

async function keyPair(seedHex) {
  const seed = Uint8Array.from(Buffer.from(seedHex, 'hex'));
  const key = await Ed25519Multikey.generate({seed});
  const did = `did:key:${key.publicKeyMultibase}`;
  key.controller = did;
  key.id = `${did}#${key.publicKeyMultibase}`;
  return key;
}

async function sign(credential, key, created) {
  const suite = new DataIntegrityProof({
    signer: key.signer(), date: created, cryptosuite: eddsaRdfc2022CryptoSuite
  });
  return vc.issue({credential, suite, documentLoader});
}

async function verify(credential, now) {
  const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022CryptoSuite});
  const result = await vc.verifyCredential({
    credential, suite, documentLoader, now: now ? new Date(now) : undefined
  });
  return {
    verified: result.verified,
    error: result.verified ? null : String(
      (result.error && (result.error.errors || [result.error]).map(e => e.message).join('; ')) ||
      (result.results || []).map(r => r.error && r.error.message).join('; '))
  };
}

async function bench(credential, key, seconds) {
  const created = '2025-01-01T00:00:00Z';
  let signed = null;
  let n = 0;
  let start = performance.now();
  while(performance.now() - start < seconds * 1000) {
    signed = await sign(structuredClone(credential), key, created);
    n++;
  }
  const signOps = n / ((performance.now() - start) / 1000);
  n = 0;
  start = performance.now();
  while(performance.now() - start < seconds * 1000) {
    const result = await verify(signed, '2026-01-01T00:00:00Z');
    if(!result.verified) {
      throw new Error(`benchmark credential does not verify: ${result.error}`);
    }
    n++;
  }
  const verifyOps = n / ((performance.now() - start) / 1000);
  return {sign_ops: signOps, verify_ops: verifyOps};
}

const input = JSON.parse(fs.readFileSync(0, 'utf8'));
const command = process.argv[2];
let output;
if(command === 'sign') {
  const key = await keyPair(input.seedHex);
  const signed = [];
  for(const credential of input.credentials) {
    signed.push(await sign(credential, key, input.created));
  }
  output = {signed, verificationMethod: key.id};
} else if(command === 'verify') {
  for(const doc of input.controllers || []) {
    controllers.set(doc.id, doc);
  }
  const results = [];
  for(const credential of input.credentials) {
    try {
      results.push(await verify(credential, input.now));
    } catch(e) {
      results.push({verified: false, error: String(e && e.message || e)});
    }
  }
  output = {results};
} else if(command === 'canonize') {
  const nquads = [];
  for(const document of input.documents) {
    try {
      nquads.push(await jsonld.canonize(document, {
        algorithm: 'RDFC-1.0', format: 'application/n-quads', documentLoader, safe: true
      }));
    } catch(e) {
      nquads.push({error: String(e && e.message || e)});
    }
  }
  output = {nquads};
} else if(command === 'bench') {
  const key = await keyPair(input.seedHex);
  await bench(input.credential, key, 0.5);  // warm up the JIT and caches
  output = await bench(input.credential, key, input.seconds);
} else {
  throw new Error(`unknown command ${command}`);
}
process.stdout.write(JSON.stringify(output));
