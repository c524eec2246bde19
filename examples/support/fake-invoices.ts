/**
 * A fake invoice table for the paginated-export example: `invoiceCount` invoices of one
 * organization, made up from their position so every read gives the same rows, and read a page
 * at a time as a real database query (`ORDER BY id LIMIT … OFFSET …`) would read them.
 */

/** One invoice row. */
export interface Invoice {
  id: string;
  organizationId: string;
  amountCents: number;
  issuedOn: string;
}

/** An organization's invoices, read in pages. */
export interface InvoiceSource {
  /** How many invoices there are. */
  count(): Promise<number>;
  /** Page `page` (from 1) of `pageSize` invoices; the last page may be shorter, pages past it are empty. */
  page(page: number, pageSize: number): Promise<Invoice[]>;
}

/** A table of `invoiceCount` made-up invoices of `organizationId`. */
export function fakeInvoices(organizationId: string, invoiceCount: number): InvoiceSource {
  const invoice = (index: number): Invoice => ({
    id: `inv_${String(index + 1).padStart(6, "0")}`,
    organizationId,
    amountCents: 1_000 + ((index * 7_919) % 90_000),
    issuedOn: new Date(Date.UTC(2025, 0, 1 + (index % 365))).toISOString().slice(0, 10),
  });
  return {
    count: async () => invoiceCount,
    page: async (page, pageSize) => {
      const first = (page - 1) * pageSize;
      const last = Math.min(first + pageSize, invoiceCount);
      return Array.from({ length: Math.max(0, last - first) }, (_, offset) => invoice(first + offset));
    },
  };
}
