// Validates every object of multi-document YAML files against the Kubernetes OpenAPI schemas
// (npm kubernetes-models) and, for CRDs we render, the Prometheus Operator and cert-manager
// schemas. Usage: node validate.mjs FILE...  Prints one JSON line: {validated, noSchema, errors}.
// Exit 0 when no object failed validation; 1 otherwise; 2 on bad input.
// The schemas do not forbid unknown fields; the Java side (fabric8 walk) checks those.
import { readFileSync } from "node:fs";
import yaml from "js-yaml";

// apiVersion group -> package that carries its models.
const packages = [
  [/^monitoring\.coreos\.com\//, "@kubernetes-models/prometheus-operator/"],
  [/^cert-manager\.io\//, "@kubernetes-models/cert-manager/"],
  [/.*/, "kubernetes-models/"],
];

async function modelFor(apiVersion, kind) {
  const prefix = packages.find(([re]) => re.test(apiVersion))[1];
  try {
    const mod = await import(prefix + apiVersion);
    return mod[kind];
  } catch (e) {
    if (e.code === "ERR_PACKAGE_PATH_NOT_EXPORTED" || e.code === "ERR_MODULE_NOT_FOUND") return undefined;
    throw e;
  }
}

const result = { validated: 0, noSchema: [], errors: [] };
try {
  for (const file of process.argv.slice(2)) {
    for (const doc of yaml.loadAll(readFileSync(file, "utf8"))) {
      if (doc == null) continue;
      const id = `${file}: ${doc.apiVersion} ${doc.kind} ${doc.metadata?.name}`;
      const Model = await modelFor(doc.apiVersion, doc.kind);
      if (!Model) {
        result.noSchema.push(id);
        continue;
      }
      try {
        new Model(doc).validate();
        result.validated++;
      } catch (e) {
        result.errors.push(`${id}: ${e.message}`);
      }
    }
  }
} catch (e) {
  console.log(JSON.stringify({ fatal: String(e) }));
  process.exit(2);
}
console.log(JSON.stringify(result));
process.exit(result.errors.length ? 1 : 0);
