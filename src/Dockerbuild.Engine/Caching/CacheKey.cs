using System.Security.Cryptography;
using System.Text;

namespace Dockerbuild.Engine.Caching;

/// <summary>
/// Step keys: sha256 over the parent's key and the step's inputs, each part length-prefixed so no two
/// different part lists hash alike.
/// </summary>
public static class CacheKey
{
    public static string Compute(string parentKey, IEnumerable<string> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var part in parts.Prepend(parentKey))
        {
            var bytes = Encoding.UTF8.GetBytes(part);
            hash.AppendData(BitConverter.GetBytes(bytes.Length));
            hash.AppendData(bytes);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Environment entries in a stable order, so the key does not depend on declaration order alone.</summary>
    public static IEnumerable<string> Environment(IEnumerable<KeyValuePair<string, string>> variables) =>
        variables.Select(v => v.Key + "=" + v.Value);
}
