using System.Globalization;
using System.Text;

namespace Dockerbuild.Testing.Registry;

/// <summary>A request or status line and its headers, in order.</summary>
internal sealed record HttpHead(string StartLine, List<KeyValuePair<string, string>> Headers)
{
    public string? Header(string name) =>
        Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    public long? ContentLength =>
        Header("Content-Length") is { } value ? long.Parse(value, CultureInfo.InvariantCulture) : null;

    public bool IsChunked =>
        Header("Transfer-Encoding")?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true;

    public bool HasRequestBody => IsChunked || ContentLength > 0;

    public int Status => int.Parse(StartLine.Split(' ')[1], CultureInfo.InvariantCulture);

    public HttpHead Without(params string[] names) =>
        this with { Headers = Headers.Where(h => !names.Contains(h.Key, StringComparer.OrdinalIgnoreCase)).ToList() };

    public HttpHead With(string name, string value) => this with { Headers = [.. Headers, new(name, value)] };

    public byte[] ToBytes()
    {
        var text = new StringBuilder(StartLine).Append("\r\n");
        foreach (var (name, value) in Headers)
        {
            text.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        return Encoding.ASCII.GetBytes(text.Append("\r\n").ToString());
    }
}
