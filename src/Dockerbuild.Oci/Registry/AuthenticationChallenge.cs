using System.Net.Http.Headers;
using System.Text;

namespace Dockerbuild.Oci.Registry;

/// <summary>A parsed WWW-Authenticate challenge: Basic, or Bearer with realm, service and scope.</summary>
internal sealed record AuthenticationChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    public bool IsBearer => Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase);

    public bool IsBasic => Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase);

    public string? Realm => Parameters.GetValueOrDefault("realm");

    public string? Service => Parameters.GetValueOrDefault("service");

    public IEnumerable<string> Scopes =>
        Parameters.GetValueOrDefault("scope")?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];

    /// <summary>The first Bearer or Basic challenge (Bearer preferred), or null.</summary>
    public static AuthenticationChallenge? From(HttpHeaderValueCollection<AuthenticationHeaderValue> headers)
    {
        var parsed = headers.Select(h => new AuthenticationChallenge(h.Scheme, ParseParameters(h.Parameter ?? ""))).ToList();
        return parsed.FirstOrDefault(c => c.IsBearer) ?? parsed.FirstOrDefault(c => c.IsBasic);
    }

    /// <summary>Parses <c>key="value", key=value</c> pairs; quoted values may hold commas and escapes.</summary>
    internal static Dictionary<string, string> ParseParameters(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && (text[i] == ',' || char.IsWhiteSpace(text[i])))
            {
                i++;
            }

            var keyStart = i;
            while (i < text.Length && text[i] != '=' && text[i] != ',')
            {
                i++;
            }

            var key = text[keyStart..i].Trim();
            if (i >= text.Length || text[i] != '=')
            {
                continue;
            }

            i++;
            var value = new StringBuilder();
            if (i < text.Length && text[i] == '"')
            {
                for (i++; i < text.Length && text[i] != '"'; i++)
                {
                    if (text[i] == '\\' && i + 1 < text.Length)
                    {
                        i++;
                    }

                    value.Append(text[i]);
                }

                i++;
            }
            else
            {
                while (i < text.Length && text[i] != ',')
                {
                    value.Append(text[i++]);
                }
            }

            if (key.Length > 0)
            {
                result[key] = value.ToString().Trim();
            }
        }

        return result;
    }
}
