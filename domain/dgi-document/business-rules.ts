import { DOCUMENT_TYPE_RULES } from './catalogs/codes.js';
import { parseCufe } from './cufe.js';
import { issueAt, type DocumentIssue, type PathSegment } from './issues.js';
import { checkRucDv, type RucType } from './ruc-check-digit.js';
import type { ParsedDocument } from './schema/document.js';

/**
 * Rules that span fields (spec §4, §9, §14): what the schema of one field cannot say. Every rule
 * broken yields its own issue, so an integrator fixes a document in one round.
 */
export function checkBusinessRules(doc: ParsedDocument): DocumentIssue[] {
  return [
    ...contingencyRules(doc),
    ...combinationRules(doc),
    ...receiverRules(doc),
    ...referenceRules(doc),
    ...checkDigitRules(doc),
    ...paymentRules(doc),
    ...installmentRules(doc),
    ...itemRules(doc),
    ...descriptionRules(doc),
  ];
}

const G = ['gDGen'] as const;

function contingencyRules({ gDGen }: ParsedDocument): DocumentIssue[] {
  const contingency = gDGen.iTpEmis === '02' || gDGen.iTpEmis === '04';
  const issues: DocumentIssue[] = [];
  for (const field of ['dFechaCont', 'dMotCont'] as const) {
    if (contingency && gDGen[field] === undefined) {
      issues.push(
        issueAt(
          [...G, field],
          'required-in-contingency',
          `is required when iTpEmis is ${gDGen.iTpEmis} (contingency)`,
        ),
      );
    }
    if (!contingency && gDGen[field] !== undefined) {
      issues.push(
        issueAt(
          [...G, field],
          'only-in-contingency',
          `must be absent when iTpEmis is ${gDGen.iTpEmis} (not a contingency)`,
          gDGen[field],
        ),
      );
    }
  }
  if (contingency && gDGen.dFechaCont && gDGen.dFechaCont > gDGen.dFechaEm) {
    issues.push(
      issueAt(
        [...G, 'dFechaCont'],
        'contingency-after-issue',
        'the contingency cannot start after dFechaEm',
        gDGen.dFechaCont,
      ),
    );
  }
  return issues;
}

function combinationRules({ gDGen }: ParsedDocument): DocumentIssue[] {
  const rules = DOCUMENT_TYPE_RULES[gDGen.iDoc];
  if (!rules) return [];
  const issues: DocumentIssue[] = [];
  if (!rules.natures.includes(gDGen.iNatOp)) {
    issues.push(
      issueAt(
        [...G, 'iNatOp'],
        'combination',
        `must be one of ${rules.natures.join(', ')} for iDoc ${gDGen.iDoc}`,
        gDGen.iNatOp,
      ),
    );
  }
  if (!rules.destinations.includes(gDGen.iDest)) {
    issues.push(
      issueAt(
        [...G, 'iDest'],
        'combination',
        `must be ${rules.destinations.join(' or ')} for iDoc ${gDGen.iDoc}`,
        gDGen.iDest,
      ),
    );
  }
  if (gDGen.iTipoOp !== rules.operationType) {
    issues.push(
      issueAt(
        [...G, 'iTipoOp'],
        'combination',
        `must be ${rules.operationType} for iDoc ${gDGen.iDoc}`,
        gDGen.iTipoOp,
      ),
    );
  }
  if (rules.saleTransaction === 'omit' && gDGen.iTipoTranVenta !== undefined) {
    issues.push(
      issueAt(
        [...G, 'iTipoTranVenta'],
        'sales-only',
        `is only for sales; omit it on iDoc ${gDGen.iDoc}`,
        gDGen.iTipoTranVenta,
      ),
    );
  }
  if (rules.saleTransaction === 'required' && gDGen.iTipoTranVenta === undefined) {
    issues.push(
      issueAt(
        [...G, 'iTipoTranVenta'],
        'required-for-sale',
        `is required on iDoc ${gDGen.iDoc} (a sale): 1 giro, 2 activo fijo, 3 bien raíz, 4 servicio`,
      ),
    );
  }
  if (gDGen.iDoc === '03' && gDGen.gFExp === undefined) {
    issues.push(
      issueAt([...G, 'gFExp'], 'required-for-export', 'is required on an export invoice (iDoc 03)'),
    );
  }
  return issues;
}

function receiverRules({ gDGen, gItem }: ParsedDocument): DocumentIssue[] {
  const rec = gDGen.gDatRec;
  const at = (field: string): PathSegment[] => [...G, 'gDatRec', field];
  const issues: DocumentIssue[] = [];
  const requireField = (field: keyof typeof rec, why: string) => {
    if (rec[field] === undefined) issues.push(issueAt(at(field), 'required-for-receiver-type', why));
  };
  switch (rec.iTipoRec) {
    case '01':
    case '03': {
      const kind = rec.iTipoRec === '01' ? 'a taxpayer (iTipoRec 01)' : 'a government receiver (iTipoRec 03)';
      requireField('gRucRec', `is required for ${kind}`);
      requireField('dNombRec', `is required for ${kind}`);
      requireField('dDirecRec', `is required for ${kind}`);
      requireField('gUbiRec', `is required for ${kind}`);
      if (rec.gRucRec && rec.gRucRec.dDV === undefined) {
        issues.push(
          issueAt([...at('gRucRec'), 'dDV'], 'required-for-receiver-type', `is required for ${kind}`),
        );
      }
      if (rec.iTipoRec === '03') {
        gItem.forEach((item, i) => {
          for (const field of ['dCodCPBSabr', 'dCodCPBScmp', 'cUnidadCPBS'] as const) {
            if (item[field] === undefined) {
              issues.push(
                issueAt(
                  ['gItem', i, field],
                  'required-for-government',
                  'is required when the receiver is the government (iTipoRec 03)',
                ),
              );
            }
          }
        });
      }
      break;
    }
    case '02':
      if (rec.gRucRec?.dTipoRuc === '2') {
        issues.push(
          issueAt(
            [...at('gRucRec'), 'dTipoRuc'],
            'juridical-as-taxpayer',
            'a juridical RUC must be sent as iTipoRec 01, never as a final consumer',
            '2',
          ),
        );
      }
      break;
    case '04':
      if (rec.gRucRec !== undefined) {
        issues.push(
          issueAt(
            at('gRucRec'),
            'foreign-without-ruc',
            'must be absent for a foreign receiver (iTipoRec 04); use gIdExt',
          ),
        );
      }
      requireField('gIdExt', 'is required for a foreign receiver (iTipoRec 04)');
      break;
  }
  if (gDGen.iDest === '1' && rec.cPaisRec !== 'PA') {
    issues.push(
      issueAt(
        at('cPaisRec'),
        'domestic-country',
        'must be PA when iDest is 1 (operation in Panama)',
        rec.cPaisRec,
      ),
    );
  }
  if (rec.cPaisRec === 'ZZ' && rec.dPaisRecDesc === undefined) {
    issues.push(
      issueAt(
        at('dPaisRecDesc'),
        'required-for-country-zz',
        'is required when cPaisRec is ZZ (country not in the list)',
      ),
    );
  }
  return issues;
}

function referenceRules({ gDGen }: ParsedDocument): DocumentIssue[] {
  const issues: DocumentIssue[] = [];
  const refs = gDGen.gDFRef ?? [];
  const referencesFe = gDGen.iDoc === '04' || gDGen.iDoc === '05';
  if (referencesFe && refs.length === 0) {
    issues.push(
      issueAt(
        [...G, 'gDFRef'],
        'required-for-note',
        `is required: iDoc ${gDGen.iDoc} references the FE it corrects`,
      ),
    );
  }
  const firstByCufe = new Map<string, number>();
  refs.forEach((ref, i) => {
    const path: PathSegment[] = [...G, 'gDFRef', i, 'gDFRefNum'];
    const cufe = ref.gDFRefNum.gDFRefFE?.dCUFERef;
    if (referencesFe && cufe === undefined) {
      issues.push(
        issueAt(
          [...path, 'gDFRefFE'],
          'reference-by-cufe',
          `iDoc ${gDGen.iDoc} references an electronic invoice by its CUFE`,
        ),
      );
    }
    if (cufe === undefined) return;
    const cufePath = [...path, 'gDFRefFE', 'dCUFERef'];
    const first = firstByCufe.get(cufe);
    if (first !== undefined) {
      issues.push(issueAt(cufePath, 'unique', `repeats the CUFE of gDFRef[${first}]`, cufe));
    } else firstByCufe.set(cufe, i);
    const parsed = parseCufe(cufe);
    if (!parsed.ok) {
      issues.push(issueAt(cufePath, 'cufe', parsed.reason, cufe));
      return;
    }
    const emitter = ref.gRucEmDFRef;
    if (parsed.fields.dRuc !== emitter.dRuc || parsed.fields.dDV !== emitter.dDV) {
      issues.push(
        issueAt(
          cufePath,
          'reference-mismatch',
          `belongs to RUC ${parsed.fields.dRuc}-${parsed.fields.dDV}, not to gRucEmDFRef ${emitter.dRuc}-${emitter.dDV}`,
          cufe,
        ),
      );
    }
    // A note corrects its emitter's own invoice: spec §4.4 (gRucEmDFRef is the referenced document's
    // emitter) and §1.5 (corrections by credit or debit note) give no way to correct another's FE.
    const noteEmitter = gDGen.gEmis.gRucEmi;
    if (referencesFe && (parsed.fields.dRuc !== noteEmitter.dRuc || parsed.fields.dDV !== noteEmitter.dDV)) {
      issues.push(
        issueAt(
          cufePath,
          'reference-other-emitter',
          `belongs to RUC ${parsed.fields.dRuc}-${parsed.fields.dDV}: a note references its own emitter's invoices (${noteEmitter.dRuc}-${noteEmitter.dDV})`,
          cufe,
        ),
      );
    }
    const refDate = ref.dFechaDFRef.slice(0, 10).replaceAll('-', '');
    if (parsed.fields.issueDate !== refDate) {
      issues.push(
        issueAt(
          [...G, 'gDFRef', i, 'dFechaDFRef'],
          'reference-mismatch',
          `the referenced CUFE was issued on ${parsed.fields.issueDate}`,
          ref.dFechaDFRef,
        ),
      );
    }
  });
  return issues;
}

function checkDigitRules({ gDGen }: ParsedDocument): DocumentIssue[] {
  const issues: DocumentIssue[] = [];
  const check = (path: PathSegment[], ruc: { dTipoRuc: string; dRuc: string; dDV?: string | undefined }) => {
    if (ruc.dDV === undefined) return;
    const result = checkRucDv(ruc.dRuc, ruc.dTipoRuc as RucType, ruc.dDV);
    if (!result.ok) {
      issues.push(
        issueAt([...path, 'dDV'], result.expected ? 'check-digit' : 'ruc-format', result.reason, ruc.dDV),
      );
    }
  };
  check([...G, 'gEmis', 'gRucEmi'], gDGen.gEmis.gRucEmi);
  if (gDGen.gDatRec.gRucRec) check([...G, 'gDatRec', 'gRucRec'], gDGen.gDatRec.gRucRec);
  (gDGen.gDFRef ?? []).forEach((ref, i) => check([...G, 'gDFRef', i, 'gRucEmDFRef'], ref.gRucEmDFRef));
  (gDGen.gAutXML ?? []).forEach((auth, i) => check([...G, 'gAutXML', i, 'gRucAutXML'], auth.gRucAutXML));
  return issues;
}

function paymentRules({ gTot }: ParsedDocument): DocumentIssue[] {
  return gTot.gFormaPago.flatMap((p, i) =>
    p.iFormaPago === '99' && p.dFormaPagoDesc === undefined
      ? [
          issueAt(
            ['gTot', 'gFormaPago', i, 'dFormaPagoDesc'],
            'required-for-other-payment',
            'is required when iFormaPago is 99 (other)',
          ),
        ]
      : [],
  );
}

/**
 * Installments (gPagPlazo) belong to payment on terms (iPzPag 2 or 3): numbered 1, 2, … in order. Their
 * sum is checked against dVTot with the totals. Notes (04–07) may carry iPzPag 3 without installments,
 * as one integration does (spec §15.2), so the "required" half applies to invoices only.
 */
function installmentRules({ gDGen, gTot }: ParsedDocument): DocumentIssue[] {
  const issues: DocumentIssue[] = [];
  const installments = gTot.gPagPlazo ?? [];
  const onTerms = gTot.iPzPag === '2' || gTot.iPzPag === '3';
  const isNote = ['04', '05', '06', '07'].includes(gDGen.iDoc);
  if (!onTerms && installments.length > 0) {
    issues.push(
      issueAt(
        ['gTot', 'gPagPlazo'],
        'installments-without-terms',
        'must be absent when iPzPag is 1 (immediate payment)',
      ),
    );
  }
  if (onTerms && !isNote && installments.length === 0) {
    issues.push(
      issueAt(
        ['gTot', 'gPagPlazo'],
        'required-for-terms',
        `is required when iPzPag is ${gTot.iPzPag} (payment on terms)`,
      ),
    );
  }
  installments.forEach((installment, i) => {
    if (Number(installment.dSecItem) !== i + 1) {
      issues.push(
        issueAt(
          ['gTot', 'gPagPlazo', i, 'dSecItem'],
          'consecutive',
          `must be ${i + 1}: installments are numbered 1, 2, … in order, without repeats`,
          installment.dSecItem,
        ),
      );
    }
  });
  return issues;
}

function itemRules({ gItem }: ParsedDocument): DocumentIssue[] {
  const issues: DocumentIssue[] = [];
  const seen = new Map<string, number>();
  gItem.forEach((item, i) => {
    if (item.dSecItem !== undefined) {
      const key = String(Number(item.dSecItem));
      const first = seen.get(key);
      if (first !== undefined)
        issues.push(
          issueAt(
            ['gItem', i, 'dSecItem'],
            'unique',
            `repeats the dSecItem of gItem[${first}]`,
            item.dSecItem,
          ),
        );
      else seen.set(key, i);
    }
    if (item.dFechaFab && item.dFechaCad && item.dFechaCad < item.dFechaFab) {
      issues.push(
        issueAt(
          ['gItem', i, 'dFechaCad'],
          'expiry-before-manufacture',
          'is before dFechaFab',
          item.dFechaCad,
        ),
      );
    }
  });
  return issues;
}

/** "Other" codes need their description (99 = otro). */
function descriptionRules({ gItem }: ParsedDocument): DocumentIssue[] {
  const issues: DocumentIssue[] = [];
  gItem.forEach((item, i) => {
    const v = item.gVehicNuevo;
    if (!v) return;
    const path: PathSegment[] = ['gItem', i, 'gVehicNuevo'];
    if (v.iModOpVN === '99' && !v.dModOpVNDesc)
      issues.push(
        issueAt([...path, 'dModOpVNDesc'], 'required-for-other', 'is required when iModOpVN is 99'),
      );
    if (v.iCombust === '99' && !v.dCombustDesc)
      issues.push(
        issueAt([...path, 'dCombustDesc'], 'required-for-other', 'is required when iCombust is 99'),
      );
    if (v.iTipoPintura === '9' && !v.dTipoPinturaDesc) {
      issues.push(
        issueAt([...path, 'dTipoPinturaDesc'], 'required-for-other', 'is required when iTipoPintura is 9'),
      );
    }
  });
  return issues;
}
