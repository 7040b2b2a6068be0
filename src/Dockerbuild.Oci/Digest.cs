using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Dockerbuild.Oci;

/// <summary>
/// A content digest, <c>algorithm:hex</c>, always over the exact bytes stored or sent. Only sha256 is
/// produced; sha512 is accepted when reading, as the OCI image spec registers both.
/// </summary>
public readonly partial record struct Digest
{
    private Digest(string algorithm, string hex)
    {
        Algorithm = algorithm;
        Hex = hex;
    }

    public string Algorithm { get; }

    public string Hex { get; }

    /// <summary>The first 12 hex characters, as docker shows image IDs.</summary>
    public string Short => Hex[..12];

    public static Digest Parse(string value) =>
        TryParse(value, out var digest)
            ? digest
            : throw new FormatException($"'{value}' is not a valid digest: expected sha256:<64 lower-case hex characters>.");

    public static bool TryParse(string? value, out Digest digest)
    {
        digest = default;
        if (value is null)
        {
            return false;
        }

        var match = DigestPattern().Match(value);
        if (!match.Success)
        {
            return false;
        }

        digest = new Digest(match.Groups["alg"].Value, match.Groups["hex"].Value);
        return true;
    }

    public static Digest FromSha256Hash(ReadOnlySpan<byte> hash) =>
        new("sha256", Convert.ToHexStringLower(hash));

    public static Digest Compute(ReadOnlySpan<byte> content) => FromSha256Hash(SHA256.HashData(content));

    /// <summary>
    /// The digest of a stream, read in 128 KiB pieces: SHA256.HashDataAsync reads 4 KiB at a time,
    /// which for a file on Linux is a thread-pool hop per 4 KiB (a 128 MB context: 32,000 of them).
    /// </summary>
    public static async Task<Digest> ComputeAsync(Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(128 * 1024);
        try
        {
            int read;
            while ((read = await Layers.LocalFileRead.ReadAsync(content, buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }

        return FromSha256Hash(hash.GetHashAndReset());
    }

    public override string ToString() => $"{Algorithm}:{Hex}";

    [GeneratedRegex("^(?<alg>sha256):(?<hex>[a-f0-9]{64})$|^(?<alg>sha512):(?<hex>[a-f0-9]{128})$", RegexOptions.CultureInvariant)]
    private static partial Regex DigestPattern();
}
