using System.Globalization;
using System.Text;

namespace Dockerbuild.Cli.Formatting;

/// <summary>
/// fmt.Sprintf for the verbs templates use: %v %s %q %d %x %X %c %t %f %e %g %%, flags <c>-+0 </c>,
/// widths and precisions (also <c>*</c>); a wrong type or a missing argument prints Go's <c>%!verb(...)</c>.
/// </summary>
internal static class GoPrintf
{
    // fmt refuses widths and precisions beyond a million.
    private const int MaxWidth = 1_000_000;

    public static string Format(string format, IReadOnlyList<object?> args)
    {
        var text = new StringBuilder();
        var used = 0;
        var i = 0;
        while (i < format.Length)
        {
            var c = format[i++];
            if (c != '%')
            {
                text.Append(c);
                continue;
            }

            if (i >= format.Length)
            {
                text.Append("%!(NOVERB)");
                break;
            }

            var (minus, plus, zero, space) = (false, false, false, false);
            for (; i < format.Length; i++)
            {
                switch (format[i])
                {
                    case '-': minus = true; continue;
                    case '+': plus = true; continue;
                    case '0': zero = true; continue;
                    case ' ': space = true; continue;
                    case '#': continue;
                }

                break;
            }

            var width = Number(format, ref i, args, ref used);
            if (width > MaxWidth)
            {
                text.Append("%!(BADWIDTH)");
                width = null;
            }

            int? precision = null;
            if (i < format.Length && format[i] == '.')
            {
                i++;
                precision = Number(format, ref i, args, ref used) ?? 0;
                if (precision > MaxWidth)
                {
                    text.Append("%!(BADPREC)");
                    precision = null;
                }
            }

            if (i >= format.Length)
            {
                text.Append("%!(NOVERB)");
                break;
            }

            var verb = format[i++];
            if (verb == '%')
            {
                text.Append('%');
                continue;
            }

            if (used >= args.Count)
            {
                text.Append(CultureInfo.InvariantCulture, $"%!{verb}(MISSING)");
                continue;
            }

            var arg = args[used++];
            var body = Verb(verb, arg, precision, plus, space);
            if (body is null)
            {
                text.Append(arg is null ? $"%!{verb}(<nil>)" : $"%!{verb}({GoValues.TypeName(arg)}={GoValues.Print(arg)})");
                continue;
            }

            text.Append(Pad(body, width ?? 0, minus, zero && !minus));
        }

        if (used < args.Count)
        {
            text.Append("%!(EXTRA ");
            text.AppendJoin(", ", args.Skip(used).Select(arg => arg is null ? "<nil>" : $"{GoValues.TypeName(arg)}={GoValues.Print(arg)}"));
            text.Append(')');
        }

        return text.ToString();
    }

    private static int? Number(string format, ref int i, IReadOnlyList<object?> args, ref int used)
    {
        if (i < format.Length && format[i] == '*')
        {
            i++;
            return used < args.Count && args[used++] is long star ? (int)Math.Clamp(star, 0, MaxWidth + 1) : null;
        }

        var start = i;
        while (i < format.Length && char.IsAsciiDigit(format[i]))
        {
            i++;
        }

        if (i == start)
        {
            return null;
        }

        return int.TryParse(format.AsSpan(start, i - start), NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : MaxWidth + 1;
    }

    // The formatted argument, or null when the verb does not apply to its type.
    private static string? Verb(char verb, object? arg, int? precision, bool plus, bool space)
    {
        string Signed(string digits, bool negative) => (negative ? "-" : plus ? "+" : space ? " " : "") + digits;

        switch (verb, arg)
        {
            case ('v', double d):
                return Signed(GoFloat.G(Math.Abs(d), precision ?? -1), d < 0);
            case ('v', long l):
                return Signed(Math.Abs(l).ToString(CultureInfo.InvariantCulture), l < 0);
            case ('v', _):
                return Truncate(GoValues.Print(arg), precision);
            case ('s', string s):
                return Truncate(s, precision);
            case ('s', IReadOnlyList<string> list):
                return "[" + string.Join(' ', list.Select(item => Truncate(item, precision))) + "]";
            case ('q', string s):
                return GoValues.Quote(Truncate(s, precision));
            case ('q', long l) when l is >= 0 and <= 0x10FFFF && Rune.IsValid((int)l):
                return "'" + char.ConvertFromUtf32((int)l) + "'";
            case ('c', long l) when l is >= 0 and <= 0x10FFFF && Rune.IsValid((int)l):
                return char.ConvertFromUtf32((int)l);
            case ('d', long l):
                return Signed(Math.Abs(l).ToString(CultureInfo.InvariantCulture), l < 0);
            case ('x' or 'X', long l):
                var hex = Math.Abs(l).ToString(verb == 'x' ? "x" : "X", CultureInfo.InvariantCulture);
                return Signed(hex, l < 0);
            case ('x' or 'X', string s):
                var bytes = Convert.ToHexString(Encoding.UTF8.GetBytes(s));
                return verb == 'x' ? bytes.ToLowerInvariant() : bytes;
            case ('t', bool b):
                return b ? "true" : "false";
            case ('f' or 'F', double d):
                return Signed(GoFloat.F(Math.Abs(d), precision ?? 6), d < 0);
            case ('e', double d):
                return Signed(GoFloat.E(Math.Abs(d), precision ?? 6), d < 0);
            case ('g', double d):
                return Signed(GoFloat.G(Math.Abs(d), precision ?? -1), d < 0);
            default:
                return null;
        }
    }

    private static string Truncate(string s, int? precision)
    {
        if (precision is not { } p)
        {
            return s;
        }

        var runes = s.EnumerateRunes().ToList();
        return runes.Count <= p ? s : string.Concat(runes.Take(p).Select(r => r.ToString()));
    }

    // Width counts runes; zero padding goes after the sign.
    private static string Pad(string body, int width, bool left, bool zeros)
    {
        var length = body.EnumerateRunes().Count();
        if (length >= width)
        {
            return body;
        }

        if (left)
        {
            return body + new string(' ', width - length);
        }

        if (zeros)
        {
            var sign = body.Length > 0 && body[0] is '-' or '+' or ' ' ? body[..1] : "";
            return sign + new string('0', width - length) + body[sign.Length..];
        }

        return new string(' ', width - length) + body;
    }
}
