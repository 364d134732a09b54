namespace Rhei.EntityFrameworkCore.Tests.Model;

public enum CustomerTier
{
    Standard,
    Silver,
    Gold,
}
