namespace Dockerbuild.Engine.Execution;

/// <summary>One <c>--output</c>: where the image goes besides the local store.</summary>
/// <param name="Type">oci (a layout directory), docker (a docker-archive tar) or registry (push the tags).</param>
/// <param name="Destination">The directory or file for oci and docker; unused for registry.</param>
public sealed record BuildOutput(string Type, string? Destination)
{
    /// <summary>Parses buildx's CSV form: <c>type=oci,dest=DIR</c>, <c>type=docker,dest=FILE</c>, <c>type=registry</c> (or <c>type=image,push=true</c>).</summary>
    public static BuildOutput Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        string? type = null, dest = null;
        var push = false;
        foreach (var field in spec.Split(','))
        {
            var eq = field.IndexOf('=', StringComparison.Ordinal);
            var key = (eq < 0 ? field : field[..eq]).Trim().ToLowerInvariant();
            var value = eq < 0 ? "" : field[(eq + 1)..];
            switch (key)
            {
                case "type":
                    type = value.ToLowerInvariant();
                    break;
                case "dest":
                    dest = value;
                    break;
                case "push":
                    push = value is "" or "true" or "1";
                    break;
                case "name" or "tar" or "oci-mediatypes" or "compression":
                    break;
                default:
                    throw new BuildException($"invalid output \"{spec}\": unknown key \"{key}\"");
            }
        }

        type = (type, push) switch
        {
            ("image", true) => "registry",
            ("image", false) => "image",
            (null, _) when dest is not null => "local",
            _ => type,
        };
        return type switch
        {
            "oci" or "docker" when !string.IsNullOrEmpty(dest) => new BuildOutput(type, Path.GetFullPath(dest)),
            "oci" or "docker" => throw new BuildException($"invalid output \"{spec}\": type={type} needs dest=PATH"),
            "registry" or "image" => new BuildOutput(type, null),
            _ => throw new BuildException($"invalid output \"{spec}\": type {type ?? "(none)"} is not supported (oci, docker, registry, image)"),
        };
    }
}
