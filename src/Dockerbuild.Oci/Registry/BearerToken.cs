namespace Dockerbuild.Oci.Registry;

/// <summary>A token from a registry's token service and when to stop using it. ToString hides it.</summary>
internal sealed record BearerToken(string Value, DateTimeOffset RefreshAfter)
{
    public override string ToString() => $"BearerToken {{ Value = ***, RefreshAfter = {RefreshAfter:O} }}";
}
