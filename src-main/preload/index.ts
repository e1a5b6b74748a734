import { contextBridge, ipcRenderer } from 'electron';
import type { StudioApi } from '../contract/api';

// One named function per contract method; ipcRenderer itself is never exposed.
const api: StudioApi = {
  getAppInfo: () => ipcRenderer.invoke('studio:getAppInfo'),
};

contextBridge.exposeInMainWorld('dar', api);
