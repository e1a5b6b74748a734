import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { initTheme } from './composables/useTheme';
import './styles/theme.css';

initTheme();
createApp(App).use(createPinia()).mount('#app');
