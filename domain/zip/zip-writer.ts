import { crc32, deflateRawSync } from 'node:zlib';

/**
 * A ZIP written as it goes (fepa's archives, streamed to the caller): each file is compressed whole, so its
 * sizes and CRC are known before its header and no data descriptors are needed. Past 65,535 entries or
 * 4 GiB of offsets it writes the ZIP64 records (a month of a busy company has both).
 */
export class ZipWriter {
  private offset = 0;
  private readonly central: Buffer[] = [];
  private count = 0;

  /** `write` takes each chunk in order and resolves once it may take the next (backpressure). */
  constructor(
    private readonly write: (chunk: Buffer) => Promise<void>,
    private readonly at: Date = new Date(),
  ) {}

  /** Adds one file; text and PDFs are deflated, tiny or incompressible ones stored. */
  async add(name: string, content: Buffer): Promise<void> {
    const nameBytes = Buffer.from(name, 'utf8');
    const deflated = content.length > 64 ? deflateRawSync(content) : undefined;
    const stored = !deflated || deflated.length >= content.length;
    const data = stored ? content : deflated;
    const crc = crc32(content);
    const { time, date } = dosDateTime(this.at);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // names in UTF-8
    local.writeUInt16LE(stored ? 0 : 8, 8);
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(content.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);

    const far = this.offset >= 0xffffffff;
    const extra = far ? Buffer.alloc(12) : Buffer.alloc(0);
    if (far) {
      extra.writeUInt16LE(0x0001, 0);
      extra.writeUInt16LE(8, 2);
      extra.writeBigUInt64LE(BigInt(this.offset), 4);
    }
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE((3 << 8) | 45, 4); // made by: Unix, 4.5
    entry.writeUInt16LE(far ? 45 : 20, 6);
    entry.writeUInt16LE(0x0800, 8);
    entry.writeUInt16LE(stored ? 0 : 8, 10);
    entry.writeUInt16LE(time, 12);
    entry.writeUInt16LE(date, 14);
    entry.writeUInt32LE(crc, 16);
    entry.writeUInt32LE(data.length, 20);
    entry.writeUInt32LE(content.length, 24);
    entry.writeUInt16LE(nameBytes.length, 28);
    entry.writeUInt16LE(extra.length, 30);
    entry.writeUInt32LE((0o100644 << 16) >>> 0, 38); // a regular file, rw-r--r--
    entry.writeUInt32LE(far ? 0xffffffff : this.offset, 42);
    this.central.push(entry, nameBytes, extra);
    this.count++;

    await this.write(Buffer.concat([local, nameBytes]));
    await this.write(data);
    this.offset += local.length + nameBytes.length + data.length;
  }

  /** Writes the central directory (and the ZIP64 records when needed). */
  async finish(): Promise<{ entries: number; bytes: number }> {
    const directory = Buffer.concat(this.central);
    const start = this.offset;
    await this.write(directory);
    this.offset += directory.length;
    const zip64 = this.count > 0xfffe || start >= 0xffffffff || directory.length >= 0xffffffff;
    if (zip64) {
      const record = Buffer.alloc(56);
      record.writeUInt32LE(0x06064b50, 0);
      record.writeBigUInt64LE(44n, 4);
      record.writeUInt16LE((3 << 8) | 45, 12);
      record.writeUInt16LE(45, 14);
      record.writeBigUInt64LE(BigInt(this.count), 24);
      record.writeBigUInt64LE(BigInt(this.count), 32);
      record.writeBigUInt64LE(BigInt(directory.length), 40);
      record.writeBigUInt64LE(BigInt(start), 48);
      const locator = Buffer.alloc(20);
      locator.writeUInt32LE(0x07064b50, 0);
      locator.writeBigUInt64LE(BigInt(this.offset), 8);
      locator.writeUInt32LE(1, 16);
      await this.write(Buffer.concat([record, locator]));
      this.offset += record.length + locator.length;
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(zip64 ? 0xffff : this.count, 8);
    end.writeUInt16LE(zip64 ? 0xffff : this.count, 10);
    end.writeUInt32LE(zip64 ? 0xffffffff : directory.length, 12);
    end.writeUInt32LE(zip64 ? 0xffffffff : start, 16);
    await this.write(end);
    this.offset += end.length;
    return { entries: this.count, bytes: this.offset };
  }
}

/** MS-DOS date and time (local fields, 2-second resolution), as ZIP headers carry them. */
function dosDateTime(at: Date): { time: number; date: number } {
  const year = Math.max(1980, at.getUTCFullYear());
  return {
    time: (at.getUTCHours() << 11) | (at.getUTCMinutes() << 5) | Math.floor(at.getUTCSeconds() / 2),
    date: ((year - 1980) << 9) | ((at.getUTCMonth() + 1) << 5) | at.getUTCDate(),
  };
}
