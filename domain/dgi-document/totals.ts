import { ITBMS_RATES } from './catalogs/codes.js';
import { FORMAT_PROFILE } from './format-profile.js';
import { issueAt, type DocumentIssue, type PathSegment } from './issues.js';
import { money, sum, text2, ZERO, type Money } from './money.js';
import { computedItemAmount, itemAmountAgrees, roundedTotal, type LineDecimals } from './rounding.js';
import type { ParsedDocument } from './schema/document.js';

type Item = ParsedDocument['gItem'][number];
type Group = Record<string, unknown>;

/**
 * Item and document arithmetic of spec §5–6, with the DGI's rounding (rounding.ts). Each amount fepa can
 * compute is filled in when the integrator left it out, and checked when it was sent: a mismatch names
 * the field, both values and the difference. Whatever this accepts or writes, it accepts again when the
 * XML is read back: the same function runs on `validate`, `build` and `sign`. It completes `document` in
 * place (callers pass a document they own, such as zod's parsed copy) and returns it.
 */
export function reconcileTotals(
  document: ParsedDocument,
  options: { lineDecimals?: LineDecimals | undefined } = {},
): {
  document: ParsedDocument;
  issues: DocumentIssue[];
} {
  const issues: DocumentIssue[] = [];
  const doc = document;
  const settle = settler(issues, options.lineDecimals ?? FORMAT_PROFILE.itemAmountDecimals);

  const lines = doc.gItem.map((item, i) => reconcileItem(item, ['gItem', i], settle, issues));
  const tot = doc.gTot as Group & ParsedDocument['gTot'];
  const sumOf = (key: keyof (typeof lines)[number]) => lines.map((line) => line[key]);

  const net = settle.total(tot, 'dTotNeto', ['gTot'], sumOf('price'), 'Σ gItem[].gPrecios.dPrItem');
  const itbms = settle.total(tot, 'dTotITBMS', ['gTot'], sumOf('itbms'), 'Σ gItem[].gITBMSItem.dValITBMS');
  const hasIsc = doc.gItem.some((item) => item.gISCItem !== undefined) || tot.dTotISC !== undefined;
  const isc = hasIsc
    ? settle.total(tot, 'dTotISC', ['gTot'], sumOf('isc'), 'Σ gItem[].gISCItem.dValISC')
    : ZERO;
  const otherTaxes = reconcileOtherTaxTotals(doc, settle);
  settle.total(
    tot,
    'dTotGravado',
    ['gTot'],
    FORMAT_PROFILE.taxedTotalIsSumOfTaxes ? [itbms, isc, otherTaxes] : [net],
    FORMAT_PROFILE.taxedTotalIsSumOfTaxes ? 'dTotITBMS + dTotISC + Σ OTI' : 'dTotNeto',
  );
  const discounts =
    doc.gTot.gDescBonif?.length || tot.dTotDesc !== undefined
      ? settle.total(
          tot,
          'dTotDesc',
          ['gTot'],
          (doc.gTot.gDescBonif ?? []).map((d) => money(d.dValDesc)),
          'Σ gDescBonif[].dValDesc',
        )
      : ZERO;
  const itemsTotal = settle.total(
    tot,
    'dVTotItems',
    ['gTot'],
    sumOf('total'),
    'Σ gItem[].gPrecios.dValTotItem',
  );
  const extras = FORMAT_PROFILE.totalAddsInvoiceFreightAndInsurance
    ? money(tot.dTotAcar).plus(money(tot.dTotSeg))
    : ZERO;
  const grandTotal = itemsTotal.minus(discounts).plus(extras);
  if (grandTotal.isNegative()) {
    issues.push(
      issueAt(
        ['gTot', 'dTotDesc'],
        'negative-total',
        `discounts exceed the items: the total would be ${grandTotal.toFixed(2)}`,
      ),
    );
  }
  const total = settle.total(
    tot,
    'dVTot',
    ['gTot'],
    [grandTotal.isNegative() ? ZERO : grandTotal],
    'dVTotItems − dTotDesc + dTotAcar + dTotSeg',
  );
  reconcileItemCount(doc, issues);
  reconcilePayments(doc, total, settle, issues);
  return { document: doc, issues };
}

interface Settle {
  /** An item amount: computed at the profile's decimals when absent, checked within the item tolerance. */
  item(target: Group, key: string, path: PathSegment[], exact: Money, explanation: string): Money;
  /** A gTot amount: the sum of `parts` rounded to 2 decimals, written when absent, checked exactly. */
  total(target: Group, key: string, path: PathSegment[], parts: Money[], explanation: string): Money;
}

/** Fills or checks `target[key]`; returns the value in force (the one the document carries). */
function settler(issues: DocumentIssue[], decimals: LineDecimals): Settle {
  const mismatch = (
    path: PathSegment[],
    sent: string,
    expected: string,
    off: Money,
    why: string,
    note = '',
  ) =>
    issues.push(
      issueAt(
        path,
        'sum-mismatch',
        `is ${sent} but ${why} gives ${expected} (off by ${off.toFixed(Math.max(2, off.decimalPlaces()))}${note})`,
        sent,
      ),
    );
  return {
    item(target, key, path, exact, explanation) {
      const sent = target[key];
      if (typeof sent !== 'string') {
        const computed = computedItemAmount(exact, decimals);
        target[key] = computed.text;
        return computed.value;
      }
      const value = money(sent);
      if (!itemAmountAgrees(value, exact)) {
        const shown = computedItemAmount(exact, decimals).text;
        mismatch(
          [...path, key],
          sent,
          shown,
          value.minus(exact).abs(),
          explanation,
          `; an item amount may differ from its formula by at most ${FORMAT_PROFILE.itemAmountTolerance}`,
        );
      }
      return value;
    },
    total(target, key, path, parts, explanation) {
      const expected = roundedTotal(parts);
      const sent = target[key];
      if (typeof sent !== 'string') {
        target[key] = text2(expected);
        return expected;
      }
      const value = money(sent);
      if (!value.eq(expected)) {
        const exact = sum(parts);
        const why = exact.eq(expected) ? explanation : `${explanation} = ${exact.toFixed()} rounded`;
        mismatch([...path, key], sent, text2(expected), value.minus(expected).abs(), why);
      }
      return value;
    },
  };
}

function reconcileItem(item: Item, path: PathSegment[], settle: Settle, issues: DocumentIssue[]) {
  const prices = item.gPrecios as Group & Item['gPrecios'];
  const pricePath = [...path, 'gPrecios'];
  const unitPrice = money(prices.dPrUnit);
  const unitDiscount = money(prices.dPrUnitDesc);
  if (unitDiscount.gt(unitPrice)) {
    issues.push(
      issueAt(
        [...pricePath, 'dPrUnitDesc'],
        'discount-exceeds-price',
        `exceeds dPrUnit ${prices.dPrUnit}`,
        prices.dPrUnitDesc,
      ),
    );
  }
  const quantity = money(item.dCantCodInt);
  if (quantity.isZero())
    issues.push(issueAt([...path, 'dCantCodInt'], 'positive', 'must be greater than zero', item.dCantCodInt));

  const price = settle.item(
    prices,
    'dPrItem',
    pricePath,
    quantity.times(unitPrice.minus(unitDiscount)),
    'dCantCodInt × (dPrUnit − dPrUnitDesc)',
  );
  const rate = ITBMS_RATES[item.gITBMSItem.dTasaITBMS] ?? '0';
  const itbms = settle.item(
    item.gITBMSItem,
    'dValITBMS',
    [...path, 'gITBMSItem'],
    price.times(rate),
    `${money(rate).times(100).toFixed()}% of dPrItem`,
  );
  const isc = reconcileItemIsc(item, path, price, settle, issues);
  const otherTaxes = sum((item.gOTIItem ?? []).map((o) => money(o.dValOTI)));
  const total = settle.item(
    prices,
    'dValTotItem',
    pricePath,
    price
      .plus(money(prices.dPrAcarItem))
      .plus(money(prices.dPrSegItem))
      .plus(itbms)
      .plus(isc)
      .plus(FORMAT_PROFILE.itemTotalIncludesOtherTaxes ? otherTaxes : ZERO),
    'dPrItem + dPrAcarItem + dPrSegItem + dValITBMS + dValISC + Σ dValOTI',
  );
  return { price, itbms, isc, total };
}

function reconcileItemIsc(
  item: Item,
  path: PathSegment[],
  price: Money,
  settle: Settle,
  issues: DocumentIssue[],
): Money {
  const group = item.gISCItem as (Group & NonNullable<Item['gISCItem']>) | undefined;
  if (!group) return ZERO;
  if (group.dTasaISC !== undefined) {
    const why = `dTasaISC ${group.dTasaISC} × dPrItem`;
    return settle.item(group, 'dValISC', [...path, 'gISCItem'], price.times(group.dTasaISC), why);
  }
  if (group.dValISC === undefined) {
    issues.push(issueAt([...path, 'gISCItem', 'dValISC'], 'required', 'is required when dTasaISC is absent'));
    return ZERO;
  }
  return money(group.dValISC);
}

/** gOTITotal: one entry per OTI code, the rounded sum of that code over the items. Returns Σ of all OTI. */
function reconcileOtherTaxTotals(doc: ParsedDocument, settle: Settle): Money {
  const byCode = new Map<string, Money[]>();
  for (const item of doc.gItem) {
    for (const oti of item.gOTIItem ?? [])
      byCode.set(oti.dCodOTI, [...(byCode.get(oti.dCodOTI) ?? []), money(oti.dValOTI)]);
  }
  if (byCode.size === 0 && !doc.gTot.gOTITotal) return ZERO;
  doc.gTot.gOTITotal ??= [...byCode.keys()]
    .sort()
    .map((code) => ({ dCodOTITotal: code, dValOTITotal: text2(sum(byCode.get(code)!)) }));
  const entries = doc.gTot.gOTITotal;
  return sum(
    entries.map((entry, i) =>
      settle.total(
        entry,
        'dValOTITotal',
        ['gTot', 'gOTITotal', i],
        byCode.get(entry.dCodOTITotal) ?? [],
        `Σ dValOTI of code ${entry.dCodOTITotal}`,
      ),
    ),
  );
}

function reconcileItemCount(doc: ParsedDocument, issues: DocumentIssue[]) {
  const tot = doc.gTot;
  if (tot.dNroItems === undefined) tot.dNroItems = String(doc.gItem.length);
  else if (Number(tot.dNroItems) !== doc.gItem.length) {
    issues.push(
      issueAt(
        ['gTot', 'dNroItems'],
        'count-mismatch',
        `is ${tot.dNroItems} but the document has ${doc.gItem.length} gItem`,
        tot.dNroItems,
      ),
    );
  }
}

/** Payments, change, installments and withholding against the document's total `dVTot`. */
function reconcilePayments(doc: ParsedDocument, total: Money, settle: Settle, issues: DocumentIssue[]) {
  const tot = doc.gTot as Group & ParsedDocument['gTot'];
  const payments = tot.gFormaPago;
  const only = payments.length === 1 ? payments[0] : undefined;
  if (only && only.dVlrCuota === undefined) only.dVlrCuota = text2(total);
  payments.forEach((p, i) => {
    if (p.dVlrCuota === undefined) {
      issues.push(
        issueAt(
          ['gTot', 'gFormaPago', i, 'dVlrCuota'],
          'required',
          'is required when there is more than one payment',
        ),
      );
    }
  });
  const received = settle.total(
    tot,
    'dTotRec',
    ['gTot'],
    payments.map((p) => money(p.dVlrCuota)),
    'Σ gFormaPago[].dVlrCuota',
  );
  const change = received.minus(total);
  if (change.isPositive() && !change.isZero())
    settle.total(tot, 'dVuelto', ['gTot'], [change], 'dTotRec − dVTot');
  else if (tot.dVuelto !== undefined)
    settle.total(tot, 'dVuelto', ['gTot'], [ZERO], 'dTotRec − dVTot (no change due)');

  const installments = tot.gPagPlazo ?? [];
  if (installments.length > 0) {
    const scheduled = sum(installments.map((p) => money(p.dValItPlazo)));
    if (!scheduled.eq(total)) {
      issues.push(
        issueAt(
          ['gTot', 'gPagPlazo'],
          'installments-sum',
          `Σ dValItPlazo is ${text2(scheduled)} but dVTot is ${text2(total)} (off by ${text2(scheduled.minus(total).abs())})`,
        ),
      );
    }
  }
  if (tot.gRetenc && money(tot.gRetenc.cValRetenc).gt(total)) {
    issues.push(
      issueAt(
        ['gTot', 'gRetenc', 'cValRetenc'],
        'withholding-exceeds-total',
        `exceeds the document's total dVTot ${text2(total)}`,
        tot.gRetenc.cValRetenc,
      ),
    );
  }
}
