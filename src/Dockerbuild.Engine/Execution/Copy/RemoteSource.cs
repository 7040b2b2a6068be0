using System.Security.Cryptography;

namespace Dockerbuild.Engine.Execution.Copy;

/// <summary>
/// ADD of an http(s) URL, as BuildKit's http source does it: the file is named by the last segment
/// of the URL's path ("__unnamed__" when there is none), its mode is 0600, its time the response's
/// Last-Modified, and --checksum is checked against the downloaded bytes.
/// </summary>
internal static class RemoteSource
{
    public const int FileMode = 0b110_000_000;

    public static bool IsUrl(string source) =>
        source.StartsWith("http://", StringComparison.Ordinal) || source.StartsWith("https://", StringComparison.Ordinal);

    public static string FileNameOf(string url)
    {
        if (Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            var path = uri.AbsolutePath.TrimEnd('/');
            var name = Uri.UnescapeDataString(path[(path.LastIndexOf('/') + 1)..]);
            if (name.Length > 0 && name != ".")
            {
                return name;
            }
        }

        return "__unnamed__";
    }

    public static async Task<Download> FetchAsync(HttpClient http, string url, string? checksum, string spoolPath, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new CopyException($"failed to load {url}: invalid response status {(int)response.StatusCode}");
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long size = 0;
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            var output = new FileStream(spoolPath, System.IO.FileMode.CreateNew, FileAccess.Write, FileShare.None, 0, FileOptions.Asynchronous);
            await using (output.ConfigureAwait(false))
            {
                var buffer = new byte[128 * 1024];
                int n;
                while ((n = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    hash.AppendData(buffer, 0, n);
                    await output.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                    size += n;
                }
            }
        }

        var digest = "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
        if (checksum is not null && !string.Equals(checksum, digest, StringComparison.OrdinalIgnoreCase))
        {
            throw new CopyException($"ADD {url}: checksum mismatch: expected {checksum}, got {digest}");
        }

        return new Download(spoolPath, size, digest, response.Content.Headers.LastModified);
    }

    public sealed record Download(string SpoolPath, long Size, string Digest, DateTimeOffset? LastModified);
}
