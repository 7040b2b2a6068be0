namespace Dockerbuild.Oci.Layers;

/// <summary>Normalizes paths of entries being written into a layer.</summary>
internal static class LayerPath
{
    /// <summary>
    /// Relative, '/'-separated, without '.' or empty components and without a trailing '/'. A ".."
    /// component is a caller bug when writing (the writer never resolves the host filesystem), so it
    /// is rejected rather than cleaned.
    /// </summary>
    public static string Normalize(string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var kept = new List<string>(parts.Length);
        foreach (var part in parts)
        {
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                throw new ArgumentException($"Layer entry path '{path}' contains '..'; give paths relative to the layer root.", nameof(path));
            }

            kept.Add(part);
        }

        return string.Join('/', kept);
    }

    /// <summary>
    /// A sort key whose byte order is the order of a sorted directory walk (filepath.Walk in
    /// containerd and BuildKit): '/' becomes 0, so "a/b" sorts before "a.txt" and parents before children.
    /// </summary>
    public static byte[] SortKey(string normalizedPath)
    {
        var key = System.Text.Encoding.UTF8.GetBytes(normalizedPath);
        for (var i = 0; i < key.Length; i++)
        {
            if (key[i] == (byte)'/')
            {
                key[i] = 0;
            }
        }

        return key;
    }
}
