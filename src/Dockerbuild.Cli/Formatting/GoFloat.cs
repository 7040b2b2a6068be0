using System.Globalization;
using System.Numerics;
using System.Text;

namespace Dockerbuild.Cli.Formatting;

/// <summary>
/// Go's strconv float formatting for %g, %e and %f: digits from the double's exact decimal value, rounded
/// half to even, so ties (1.125 at three digits is 1.12) come out as Go's.
/// </summary>
internal static class GoFloat
{
    /// <summary>%g with <paramref name="precision"/> significant digits; -1 is the shortest (Go's %v).</summary>
    public static string G(double value, int precision)
    {
        if (Special(value) is { } special)
        {
            return special;
        }

        var (digits, point) = precision < 0 ? Shortest(value) : Round(Exact(value), precision);
        var eprec = precision < 0 ? 6 : precision;
        if (precision >= 0 && eprec > digits.Length && digits.Length >= point)
        {
            eprec = digits.Length;
        }

        var exponent = point - 1;
        var sign = value < 0 || (value == 0 && double.IsNegative(value)) ? "-" : "";
        if (exponent < -4 || exponent >= eprec)
        {
            var p = precision < 0 || precision > digits.Length ? digits.Length : precision;
            return sign + ExponentForm(digits, point, p - 1);
        }

        var fp = precision < 0 || precision > point ? digits.Length : precision;
        return sign + FixedForm(digits, point, Math.Max(fp - point, 0));
    }

    /// <summary>%.Nf.</summary>
    public static string F(double value, int decimals)
    {
        if (Special(value) is { } special)
        {
            return special;
        }

        var (digits, point) = Exact(value);
        (digits, point) = Round((digits, point), point + decimals);
        var sign = value < 0 ? "-" : "";
        return sign + FixedForm(digits, point, decimals);
    }

    /// <summary>%.Ne; -1 decimals is the shortest.</summary>
    public static string E(double value, int decimals)
    {
        if (Special(value) is { } special)
        {
            return special;
        }

        var (digits, point) = decimals < 0 ? Shortest(value) : Round(Exact(value), decimals + 1);
        var sign = value < 0 ? "-" : "";
        return sign + ExponentForm(digits, point, decimals < 0 ? Math.Max(digits.Length - 1, 0) : decimals);
    }

    private static string? Special(double value) =>
        double.IsNaN(value) ? "NaN" : double.IsPositiveInfinity(value) ? "+Inf" : double.IsNegativeInfinity(value) ? "-Inf" : null;

    private static string FixedForm(string digits, int point, int decimals)
    {
        var text = new StringBuilder();
        if (point <= 0)
        {
            text.Append('0');
        }
        else
        {
            for (var i = 0; i < point; i++)
            {
                text.Append(i < digits.Length ? digits[i] : '0');
            }
        }

        if (decimals > 0)
        {
            text.Append('.');
            for (var i = 0; i < decimals; i++)
            {
                var at = point + i;
                text.Append(at >= 0 && at < digits.Length ? digits[at] : '0');
            }
        }

        return text.ToString();
    }

    private static string ExponentForm(string digits, int point, int decimals)
    {
        var text = new StringBuilder();
        text.Append(digits.Length > 0 ? digits[0] : '0');
        if (decimals > 0)
        {
            text.Append('.');
            for (var i = 1; i <= decimals; i++)
            {
                text.Append(i < digits.Length ? digits[i] : '0');
            }
        }

        var exponent = digits.Length == 0 ? 0 : point - 1;
        text.Append(exponent < 0 ? "e-" : "e+");
        text.Append(Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture));
        return text.ToString();
    }

    // The shortest digits that read back as the same double (.NET's "R" agrees with Go's shortest).
    private static (string Digits, int Point) Shortest(double value)
    {
        var shortest = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        var e = shortest.IndexOfAny(['E', 'e']);
        var mantissa = e < 0 ? shortest : shortest[..e];
        var exponent = e < 0 ? 0 : int.Parse(shortest[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var intPart = dot < 0 ? mantissa : mantissa[..dot];
        var digits = intPart + (dot < 0 ? "" : mantissa[(dot + 1)..]);
        var point = intPart.Length + exponent;
        return Trim(digits, point);
    }

    // The double's exact decimal expansion: m * 2^e written out in base 10.
    private static (string Digits, int Point) Exact(double value)
    {
        value = Math.Abs(value);
        if (value == 0)
        {
            return ("", 0);
        }

        var bits = BitConverter.DoubleToInt64Bits(value);
        var exponent = (int)((bits >> 52) & 0x7FF);
        var mantissa = bits & 0xFFFFFFFFFFFFFL;
        if (exponent == 0)
        {
            exponent = 1;
        }
        else
        {
            mantissa |= 1L << 52;
        }

        exponent -= 1075;
        BigInteger number = mantissa;
        int point;
        string digits;
        if (exponent >= 0)
        {
            digits = (number << exponent).ToString(CultureInfo.InvariantCulture);
            point = digits.Length;
        }
        else
        {
            // m / 2^k = m * 5^k / 10^k.
            digits = (number * BigInteger.Pow(5, -exponent)).ToString(CultureInfo.InvariantCulture);
            point = digits.Length + exponent;
        }

        return Trim(digits, point);
    }

    // Keeps <paramref name="count"/> digits (counted from the first), rounding half to even.
    private static (string Digits, int Point) Round((string Digits, int Point) number, int count)
    {
        var (digits, point) = number;
        if (count < 0)
        {
            return ("", point);
        }

        if (digits.Length <= count)
        {
            return (digits, point);
        }

        var up = digits[count] > '5' || (digits[count] == '5' && (digits.AsSpan(count + 1).ContainsAnyExcept('0') || (count > 0 && (digits[count - 1] - '0') % 2 == 1)));
        var kept = digits[..count].ToCharArray();
        if (up)
        {
            var i = count - 1;
            while (i >= 0 && kept[i] == '9')
            {
                kept[i] = '0';
                i--;
            }

            if (i < 0)
            {
                return Trim("1" + new string(kept), point + 1);
            }

            kept[i]++;
        }

        return Trim(new string(kept), point);
    }

    private static (string Digits, int Point) Trim(string digits, int point)
    {
        var leading = digits.Length - digits.TrimStart('0').Length;
        digits = digits[leading..].TrimEnd('0');
        return (digits, digits.Length == 0 ? 0 : point - leading);
    }
}
