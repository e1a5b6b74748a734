"""Losses of docs/dar-model.md rev 2 ("Losses").

Research reference only (see dar_torch.py).
"""
import torch
import torch.nn.functional as F

MODS = ('l', 'a', 'v')


def info_nce_common(tc, tau):
    """InfoNCE over each ordered modality pair on z = mean_t of the corrupted common features."""
    z = {m: F.normalize(tc[m].mean(1), dim=-1) for m in MODS}
    target = torch.arange(z['l'].shape[0])
    losses = [F.cross_entropy(z[m] @ z[n].T / tau, target) for m in MODS for n in MODS if m != n]
    return torch.stack(losses).mean()


def supcon_specific(ts, tau):
    """Supervised contrastive loss over the 3B specific vectors, the modality as the class."""
    z = F.normalize(torch.cat([ts[m].mean(1) for m in MODS]), dim=-1)
    b = ts['l'].shape[0]
    sim = z @ z.T / tau
    eye = torch.eye(3 * b, dtype=torch.bool)
    log_prob = sim - torch.logsumexp(sim.masked_fill(eye, float('-inf')), dim=1, keepdim=True)
    cls = torch.arange(3).repeat_interleave(b)
    pos = (cls[:, None] == cls[None, :]) & ~eye
    per_anchor = -(log_prob * pos).sum(1) / pos.sum(1).clamp(min=1)
    return per_anchor.mean()


def vclub(mu, logvar, y):
    """vCLUB upper bound: mean_i [ll(y_i|x_i) - mean_j ll(y_j|x_i)], ll averaged over t."""
    w = torch.exp(-logvar) / 2
    t = y.shape[1]
    a = torch.einsum('itd,jtd->ij', w, y * y)
    b = torch.einsum('itd,jtd->ij', mu * w, y)
    c = (mu * mu * w).sum(-1).sum(-1)
    ll = -(a - 2 * b + c[:, None]) / t
    return (ll.diagonal() - ll.mean(1)).mean()


def club_nll(mu, logvar, y):
    """CLUB's own loss: Gaussian NLL (no constant), sum over d, mean over batch and t."""
    return ((y - mu) ** 2 * torch.exp(-logvar) / 2 + logvar / 2).sum(-1).mean()


def main_losses(model, out, y, club_out, cfg):
    """Every term of L_total (eq. 24) as tensors; `club_out` = {m: (mu, logvar)} on the corrupted specific features."""
    abl = cfg['ablations']
    l_task = F.l1_loss(out['y_hat'], y)
    if 'no_boot' not in abl:
        l_task = l_task + F.l1_loss(out['y_boot'], y)
    zero = torch.zeros(())
    l_sim = zero if ({'no_sim', 'no_sim_diff'} & abl) else info_nce_common(out['tc'], cfg['tau']) + supcon_specific(out['ts'], cfg['tau'])
    l_diff = zero if ({'no_diff', 'no_sim_diff'} & abl) else torch.stack([vclub(*club_out[m], out['tc'][m]) for m in MODS]).mean()
    l_re = sum(F.mse_loss(out['ure'][m], out['u1c'][m].detach()) for m in MODS)
    l_recon = zero if 'no_recon' in abl else sum(
        F.mse_loss(out['hh_com'][m], out['hc'][m]) + F.mse_loss(out['hh_spec'][m], out['hs'][m]) + F.mse_loss(out['uhat'][m], out['u1'][m])
        for m in MODS)
    lam, alpha, beta = cfg['lambda'], cfg['alpha'], cfg['beta']
    total = l_task + alpha * (lam * (l_sim + l_diff) + l_re) + beta * l_recon
    return {'total': total, 'sel': total - alpha * lam * l_diff, 'task': l_task, 'sim': l_sim, 'diff': l_diff, 're': l_re, 'recon': l_recon}
