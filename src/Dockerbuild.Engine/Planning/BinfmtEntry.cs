namespace Dockerbuild.Engine.Planning;

/// <summary>
/// One binfmt_misc handler as <c>/proc/sys/fs/binfmt_misc/NAME</c> shows it: enabled or not, the
/// interpreter, the flags, and for a magic-matched entry its offset, magic and mask.
/// </summary>
internal sealed record BinfmtEntry(string Name, bool Enabled, string Interpreter, string Flags, int Offset, byte[]? Magic, byte[]? Mask)
{
    /// <summary>F: the kernel opened the interpreter at registration, so it runs inside any mount namespace.</summary>
    public bool FixBinary => Flags.Contains('F', StringComparison.Ordinal);

    public static BinfmtEntry Parse(string name, IEnumerable<string> lines)
    {
        var (enabled, interpreter, flags, offset) = (false, "", "", 0);
        byte[]? magic = null;
        byte[]? mask = null;
        foreach (var line in lines)
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var (key, value) = space < 0 ? (line, "") : (line[..space], line[(space + 1)..]);
            try
            {
                switch (key)
                {
                    case "enabled": enabled = true; break;
                    case "interpreter": interpreter = value; break;
                    case "flags:": flags = value; break;
                    case "offset": offset = Emulators.Number(value); break;
                    case "magic": magic = Emulators.Hex(value); break;
                    case "mask": mask = Emulators.Hex(value); break;
                }
            }
            catch (FormatException)
            {
                // A line this reader does not understand leaves the entry unmatched rather than failing the build.
                magic = null;
            }
        }

        return new BinfmtEntry(name, enabled, interpreter, flags, offset, magic, mask);
    }

    /// <summary>As the kernel matches: every magic byte equals the file's byte at offset + i under the mask.</summary>
    public bool Matches(byte[] header)
    {
        ArgumentNullException.ThrowIfNull(header);
        if (Magic is not { Length: > 0 } magic || (Mask is { } m && m.Length != magic.Length))
        {
            return false;
        }

        for (var i = 0; i < magic.Length; i++)
        {
            var mask = Mask?[i] ?? 0xff;
            var at = Offset + i;
            var actual = at < header.Length ? header[at] : 0;
            if ((actual & mask) != (magic[i] & mask))
            {
                return false;
            }
        }

        return true;
    }
}
